// Turns any value into plain JSON data without ever throwing: circular references, BigInt, Dates, Errors,
// Maps, Sets, class instances, throwing getters and Proxies all come out as something readable. It also
// estimates the size (in characters) so the queue can be bounded without serialising on the hot path. Plain
// data without a `mask` takes the fast path of `json-plain.ts`, which gives the same result.

import { copyPlainJson } from "./json-plain.js";

export const TRUNCATION_MARKER = "…[truncated by phospho]";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface JsonSafeOptions {
  /** Budget in characters; once spent, remaining values become the truncation marker. */
  maxChars: number;
  /** Applied to every string, object keys included. */
  mask?: ((text: string) => string) | undefined;
  /** Deepest nesting kept. */
  maxDepth?: number;
}

export interface JsonSafeResult {
  value: JsonValue;
  /** Estimated serialised size in characters. */
  size: number;
}

const MAX_ITEMS = 10_000;

export function toJsonSafe(input: unknown, options: JsonSafeOptions): JsonSafeResult {
  const maxDepth = options.maxDepth ?? 32;
  if (!options.mask) {
    const plain = copyPlainJson(input, options.maxChars, maxDepth, MAX_ITEMS);
    if (plain) return plain;
  }
  const ancestors = new Set<object>();
  let remaining = options.maxChars;
  let size = 0;

  const str = (text: string): string => {
    let out = text;
    if (options.mask) {
      try {
        out = options.mask(out);
      } catch {
        out = "[mask failed]";
      }
    }
    if (out.length > remaining) out = out.slice(0, Math.max(0, remaining)) + TRUNCATION_MARKER;
    remaining -= out.length;
    size += out.length + 2;
    return out;
  };

  /** A key is text too (metadata keys can hold what `mask` must hide); not counted in the budget. */
  const maskKey = (key: string): string => {
    try {
      return options.mask ? options.mask(key) : key;
    } catch {
      return "[mask failed]";
    }
  };

  const walk = (value: unknown, depth: number): JsonValue => {
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
      case "bigint":
        return str(value.toString());
      case "undefined":
        return null;
      case "symbol":
        return str(value.toString());
      case "function":
        return str(`[Function ${value.name || "anonymous"}]`);
    }
    if (value === null) return null;
    const obj = value as object;
    if (ancestors.has(obj)) return "[Circular]";
    if (depth >= maxDepth) return "[Max depth]";
    ancestors.add(obj);
    try {
      return walkObject(obj, depth);
    } catch {
      return "[Unserializable]";
    } finally {
      ancestors.delete(obj);
    }
  };

  /** Adds one entry to `out`; returns false once the budget or the item limit is spent. */
  const addEntry = (
    out: { [key: string]: JsonValue },
    count: number,
    key: string,
    item: unknown,
    depth: number,
  ) => {
    if (count >= MAX_ITEMS || remaining <= 0) {
      out["…"] = TRUNCATION_MARKER;
      return false;
    }
    if (item === undefined || typeof item === "function") return true;
    const name = options.mask ? maskKey(key) : key;
    size += name.length + 3;
    out[name] = walk(item, depth + 1);
    return true;
  };

  const walkPairs = (pairs: Array<[string, unknown]>, depth: number): { [key: string]: JsonValue } => {
    const out: { [key: string]: JsonValue } = {};
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i] as [string, unknown];
      if (!addEntry(out, i, pair[0], pair[1], depth)) break;
    }
    return out;
  };

  const walkOwn = (obj: object, depth: number, out: { [key: string]: JsonValue } = {}) => {
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
  };

  const walkList = (items: Iterable<unknown>, depth: number): JsonValue[] => {
    const out: JsonValue[] = [];
    for (const item of items) {
      if (out.length >= MAX_ITEMS || remaining <= 0) {
        out.push(TRUNCATION_MARKER);
        break;
      }
      out.push(walk(item, depth + 1));
    }
    return out;
  };

  const walkArray = (items: unknown[], depth: number): JsonValue[] => {
    const out: JsonValue[] = [];
    for (let i = 0; i < items.length; i++) {
      if (i >= MAX_ITEMS || remaining <= 0) {
        out.push(TRUNCATION_MARKER);
        break;
      }
      out.push(walk(items[i], depth + 1));
    }
    return out;
  };

  const walkObject = (obj: object, depth: number): JsonValue => {
    if (Array.isArray(obj)) return walkArray(obj, depth);
    const proto: unknown = Object.getPrototypeOf(obj);
    // Plain objects (the usual case: queries, completions) take the short path.
    if (proto === Object.prototype || proto === null) {
      if (typeof (obj as { toJSON?: unknown }).toJSON !== "function") return walkOwn(obj, depth);
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
    if (obj instanceof Set) return walkList(obj, depth);
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
        ancestors.delete(obj);
        try {
          return walk(converted, depth);
        } finally {
          ancestors.add(obj);
        }
      }
    }
    return walkOwn(obj, depth);
  };

  let value: JsonValue;
  try {
    value = walk(input, 0);
  } catch {
    value = "[Unserializable]";
  }
  return { value, size };
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
