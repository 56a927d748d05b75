// Turns any value into plain JSON data without ever throwing: circular references, BigInt, Dates, Errors,
// Maps, Sets, class instances, throwing getters and Proxies all come out as something readable. It also
// estimates the size (in characters) so the queue can be bounded without serialising on the hot path.

export const TRUNCATION_MARKER = "…[truncated by phospho]";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface JsonSafeOptions {
  /** Budget in characters; once spent, remaining values become the truncation marker. */
  maxChars: number;
  /** Applied to every string. */
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
  const ancestors = new Set<object>();
  let remaining = options.maxChars;
  const maxDepth = options.maxDepth ?? 32;
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

  const walkEntries = (entries: Iterable<[string, unknown]>, depth: number): { [key: string]: JsonValue } => {
    const out: { [key: string]: JsonValue } = {};
    let count = 0;
    for (const [key, item] of entries) {
      if (count++ >= MAX_ITEMS || remaining <= 0) {
        out["…"] = TRUNCATION_MARKER;
        break;
      }
      if (item === undefined || typeof item === "function") continue;
      size += key.length + 3;
      out[key] = walk(item, depth + 1);
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

  const ownEntries = function* (obj: object): Generator<[string, unknown]> {
    for (const key of Object.keys(obj)) {
      let item: unknown;
      try {
        item = (obj as Record<string, unknown>)[key];
      } catch {
        item = "[Unreadable]";
      }
      yield [key, item];
    }
  };

  const walkObject = (obj: object, depth: number): JsonValue => {
    if (Array.isArray(obj)) return walkList(obj, depth);
    if (obj instanceof Date) return str(Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString());
    if (obj instanceof Error) {
      const fields: Array<[string, unknown]> = [
        ["name", obj.name],
        ["message", obj.message],
      ];
      const cause = (obj as { cause?: unknown }).cause;
      if (cause !== undefined) fields.push(["cause", cause]);
      return walkEntries([...fields, ...ownEntries(obj)], depth);
    }
    if (obj instanceof Map) {
      return walkEntries(
        (function* () {
          for (const [k, v] of obj) yield [typeof k === "string" ? k : String(k), v] as [string, unknown];
        })(),
        depth,
      );
    }
    if (obj instanceof Set) return walkList(obj, depth);
    if (ArrayBuffer.isView(obj)) {
      if (obj instanceof DataView) return str(`[DataView ${obj.byteLength} bytes]`);
      return walkList(Array.from(obj as unknown as ArrayLike<unknown>).slice(0, 1000), depth);
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
    return walkEntries(ownEntries(obj), depth);
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
