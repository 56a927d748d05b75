// Turns any value into plain JSON data without ever throwing: circular references, BigInt, Dates, Errors,
// Maps, Sets, class instances, throwing getters and Proxies all come out as something readable. It also
// estimates the size (in characters) so the queue can be bounded without serialising on the hot path.
//
// It runs on every `log()` (raw input and output, metadata), so it is written for speed: the walk's state
// lives in module variables and ancestors on a stack; arrays are cloned by the engine (`slice`) and each item
// replaced by its walked value. Objects are rebuilt key by key (`walkOwn`): on Node 20 as fast as the engine's
// spread clone patched in place, which this module used to keep beside it as a separate fast path.

export const TRUNCATION_MARKER = "…[truncated by phospho]";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface JsonSafeOptions {
  /** Budget in characters; once spent, remaining values become the truncation marker. */
  maxChars: number;
  /** Applied to every string, object keys included. */
  mask?: ((text: string) => string) | undefined;
}

export interface JsonSafeResult {
  value: JsonValue;
  /** Estimated serialised size in characters. */
  size: number;
}

const MAX_ITEMS = 10_000;
/** Deepest nesting kept. */
const MAX_DEPTH = 32;

// The walk's state. A walk is synchronous, but user code it calls (a getter, `toJSON`, `mask`) may log and
// so walk again: `toJsonSafe` puts the outer walk's state back, and each walk sees only its own ancestors.
let remaining = 0;
let size = 0;
let mask: ((text: string) => string) | undefined;
let base = 0;
const ancestors: object[] = [];

/** The user's `mask` applied to one text; a `mask` that throws hides the whole text. */
export function applyMask(text: string, mask: ((text: string) => string) | undefined): string {
  if (!mask) return text;
  try {
    return mask(text);
  } catch {
    return "[mask failed]";
  }
}

function str(text: string): string {
  let out = applyMask(text, mask);
  if (out.length > remaining) out = out.slice(0, Math.max(0, remaining)) + TRUNCATION_MARKER;
  remaining -= out.length;
  size += out.length + 2;
  return out;
}

function walk(value: unknown, depth: number): JsonValue {
  size += 1;
  if (remaining <= 0) return TRUNCATION_MARKER;
  switch (typeof value) {
    case "string":
      return str(value);
    case "number":
      size += 8;
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      size += 4;
      return value;
    case "undefined":
      return null;
    case "function":
      return str(`[Function ${value.name || "anonymous"}]`);
    case "bigint":
    case "symbol":
      return str(value.toString());
  }
  if (value === null) return null;
  const obj = value as object;
  if (ancestors.indexOf(obj, base) >= 0) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Max depth]";
  ancestors.push(obj);
  let out: JsonValue;
  try {
    out = walkObject(obj, depth);
  } catch {
    out = "[Unserializable]";
  }
  ancestors.pop();
  return out;
}

/** Adds one entry; returns false once the budget or the item limit is spent (the marker is then added). */
function addEntry(out: Record<string, JsonValue>, count: number, key: string, item: unknown, depth: number) {
  if (count >= MAX_ITEMS || remaining <= 0) {
    out["…"] = TRUNCATION_MARKER;
    return false;
  }
  if (item === undefined || typeof item === "function") return true;
  // A key is text too (metadata keys can hold what `mask` must hide); not counted in the budget.
  const name = applyMask(key, mask);
  size += name.length + 3;
  out[name] = walk(item, depth + 1);
  return true;
}

function walkPairs(pairs: Array<[string, unknown]>, depth: number, out: Record<string, JsonValue> = {}) {
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as [string, unknown];
    if (!addEntry(out, i, pair[0], pair[1], depth)) break;
  }
  return out;
}

function walkOwn(obj: object, depth: number, out: Record<string, JsonValue> = {}) {
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    let item: unknown;
    try {
      item = (obj as Record<string, unknown>)[key];
    } catch {
      item = "[Unreadable]";
    }
    if (!addEntry(out, i, key, item, depth)) break;
  }
  return out;
}

function walkArray(items: ArrayLike<unknown>, depth: number): JsonValue[] {
  // A plain array is cloned by the engine; anything else (a subclass, a Set's items) becomes a plain array.
  const out = (
    Object.getPrototypeOf(items) === Array.prototype ? (items as unknown[]).slice() : Array.from(items)
  ) as JsonValue[];
  for (let i = 0; i < out.length; i++) {
    if (i >= MAX_ITEMS || remaining <= 0) {
      out.length = i;
      out.push(TRUNCATION_MARKER);
      break;
    }
    out[i] = walk(out[i], depth + 1);
  }
  return out;
}

function walkObject(obj: object, depth: number): JsonValue {
  if (Array.isArray(obj)) return walkArray(obj, depth);
  const proto: unknown = Object.getPrototypeOf(obj);
  // Plain objects (the usual case: queries, completions) take the short path.
  if (
    (proto === Object.prototype || proto === null) &&
    typeof (obj as { toJSON?: unknown }).toJSON !== "function"
  ) {
    return walkOwn(obj, depth);
  }
  if (obj instanceof Date) return str(Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString());
  if (obj instanceof Error) {
    const pairs: Array<[string, unknown]> = [
      ["name", obj.name],
      ["message", obj.message],
    ];
    const cause = (obj as { cause?: unknown }).cause;
    if (cause !== undefined) pairs.push(["cause", cause]);
    return walkOwn(obj, depth, walkPairs(pairs, depth));
  }
  if (obj instanceof Map) {
    const pairs: Array<[string, unknown]> = [];
    for (const [k, v] of obj) pairs.push([typeof k === "string" ? k : String(k), v]);
    return walkPairs(pairs, depth);
  }
  if (obj instanceof Set) return walkArray([...obj], depth);
  if (ArrayBuffer.isView(obj)) {
    if (obj instanceof DataView) return str(`[DataView ${obj.byteLength} bytes]`);
    return walkArray(Array.from(obj as unknown as ArrayLike<unknown>).slice(0, 1000), depth);
  }
  if (obj instanceof ArrayBuffer) return str(`[ArrayBuffer ${obj.byteLength} bytes]`);
  if (typeof (obj as { then?: unknown }).then === "function") return str("[Promise]");
  if (obj instanceof RegExp) return str(obj.toString());
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    const converted: unknown = toJSON.call(obj);
    if (converted !== obj) {
      // Walked in the object's place: the object itself is not its own ancestor.
      ancestors.pop();
      try {
        return walk(converted, depth);
      } finally {
        ancestors.push(obj);
      }
    }
  }
  return walkOwn(obj, depth);
}

export function toJsonSafe(input: unknown, options: JsonSafeOptions): JsonSafeResult {
  const outerRemaining = remaining;
  const outerSize = size;
  const outerMask = mask;
  const outerBase = base;
  remaining = options.maxChars;
  size = 0;
  mask = options.mask;
  base = ancestors.length;
  let value: JsonValue;
  try {
    value = walk(input, 0);
  } catch {
    value = "[Unserializable]";
  }
  const result = { value, size };
  while (ancestors.length > base) ancestors.pop();
  remaining = outerRemaining;
  size = outerSize;
  mask = outerMask;
  base = outerBase;
  return result;
}

/** JSON text of any value; never throws. */
export function toJsonText(value: unknown, maxChars: number): string {
  try {
    return JSON.stringify(toJsonSafe(value, { maxChars }).value) ?? "null";
  } catch {
    return "[Unserializable]";
  }
}

/** The name of a value's type: the constructor's name for objects, `typeof` for the rest. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    const ctor = (proto as { constructor?: { name?: unknown } } | null)?.constructor;
    return typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : "Object";
  } catch {
    return "object";
  }
}
