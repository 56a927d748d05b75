// The fast path of `toJsonSafe`, for plain data: objects (of `Object.prototype` or none) and arrays of strings,
// finite numbers, booleans and null, as provider SDKs return them. Copying the raw input and output was most
// of what a `log()` call cost, and nearly all of it went to the general walker's machinery (closures, a set of
// ancestors, a try/finally and a prototype check per object) rather than to copying. Here the engine clones
// each container (`slice`, spread) and only the items are checked. It gives up (`undefined`) on anything the
// general walker would change: a value to convert (Date, Map, Error, class instance, `toJSON`, BigInt, NaN, a
// function or symbol in an array), a string or item count over the budget, or nesting as deep as `maxDepth`
// (which is also how a cycle ends here). Then `toJsonSafe` starts over, so the result, size estimate
// included, is the same either way.

import type { JsonValue } from "./json-safe.js";

const EMPTY = {};

/** Not a JSON value: tells the callers up the tree to give up. */
const GIVE_UP = Symbol("give up");

// The walk's state. Module variables rather than an object: the walk is synchronous and not re-entrant
// (it calls no user code but getters, and a getter cannot reach it).
let remaining = 0;
let size = 0;
let maxDepth = 0;
let maxItems = 0;

/** Checks one item in place; `false` to give up. Counts it as the general walker does. */
function item(value: unknown, depth: number): JsonValue | typeof GIVE_UP {
  size += 1;
  if (remaining <= 0) return GIVE_UP;
  switch (typeof value) {
    case "string":
      if (value.length > remaining) return GIVE_UP;
      remaining -= value.length;
      size += value.length + 2;
      return value;
    case "number":
      if (value - value !== 0) return GIVE_UP; // NaN or ±Infinity
      size += 8;
      return value;
    case "boolean":
      size += 4;
      return value;
    case "object":
      return value === null ? null : container(value, depth);
    default:
      // undefined, a function, a symbol or a BigInt: the general walker has its own words for them.
      return GIVE_UP;
  }
}

function container(value: object, depth: number): JsonValue | typeof GIVE_UP {
  if (depth >= maxDepth) return GIVE_UP;
  if (Array.isArray(value)) {
    if (value.length >= maxItems) return GIVE_UP;
    const out = value.slice() as unknown[];
    for (let i = 0; i < out.length; i++) {
      const entry = out[i];
      if (entry === undefined) {
        if (remaining <= 0) return GIVE_UP;
        size += 1;
        out[i] = null;
        continue;
      }
      const copied = item(entry, depth + 1);
      if (copied === GIVE_UP) return GIVE_UP;
      if (copied !== entry) out[i] = copied;
    }
    return out as JsonValue[];
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return GIVE_UP;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return GIVE_UP;
  const out: Record<string, unknown> = { ...value };
  let count = 0;
  // `for…in` visits the clone's own keys only: `copyPlainJson` checked that `Object.prototype` has no
  // enumerable key.
  for (const key in out) {
    if (++count >= maxItems) return GIVE_UP;
    const entry = out[key];
    if (remaining <= 0) return GIVE_UP;
    if (entry === undefined || typeof entry === "function") {
      // Left out, as the general walker does.
      delete out[key];
      continue;
    }
    size += key.length + 3;
    const copied = item(entry, depth + 1);
    if (copied === GIVE_UP) return GIVE_UP;
    if (copied !== entry) out[key] = copied;
  }
  return out as { [key: string]: JsonValue };
}

/**
 * A copy of plain JSON data with its size estimate, or `undefined` when the value needs the general walker.
 * Never throws: a throwing getter or Proxy trap also means "use the general walker".
 */
export function copyPlainJson(
  value: unknown,
  maxChars: number,
  depthLimit: number,
  itemLimit: number,
): { value: JsonValue; size: number } | undefined {
  // Someone added an enumerable key to `Object.prototype`: the general walker reads own keys only.
  for (const inherited in EMPTY) if (inherited) return undefined;
  remaining = maxChars;
  size = 0;
  maxDepth = depthLimit;
  maxItems = itemLimit;
  try {
    const copied = item(value, 0);
    return copied === GIVE_UP ? undefined : { value: copied, size };
  } catch {
    return undefined;
  }
}
