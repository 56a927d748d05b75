/**
 * Reads a decoded OTLP request (protobuf through `proto.ts`, or OTLP JSON) into plain spans and log records.
 * Each item is checked on its own: a bad one is counted as rejected with its reason, and the others go on.
 */
import { stripNul } from "../validate/sanitize.js";

export interface OtlpEvent {
  name: string;
  timeMs: number;
  attributes: Record<string, unknown>;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  startMs: number;
  endMs: number | null;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: string | null;
  events: OtlpEvent[];
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string | null;
}

export interface OtlpLogRecord {
  traceId: string;
  spanId: string;
  timeMs: number;
  eventName: string | null;
  body: unknown;
  attributes: Record<string, unknown>;
}

export interface ReadResult<T> {
  items: T[];
  rejected: number;
  /** The first few reasons, for the partial-success message. */
  reasons: string[];
}

/** Deepest AnyValue nesting kept; deeper values become null. */
const MAX_VALUE_DEPTH = 32;
const MAX_REASONS = 5;

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Ids: hex in OTLP JSON, base64 from protobuf (bytes as base64 strings). Null when absent or invalid. */
function readId(value: unknown, bytes: number, encoding: "json" | "protobuf"): string | null {
  if (typeof value !== "string" || value === "") return null;
  let hex: string | null = null;
  if (encoding === "json" && new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(value)) hex = value.toLowerCase();
  else {
    const buffer = Buffer.from(value, "base64");
    if (buffer.length === bytes) hex = buffer.toString("hex");
  }
  return hex === null || /^0+$/.test(hex) ? null : hex;
}

/** Unix nanoseconds (string or number) to ms; null when absent, zero or not a number. */
function nanosToMs(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return Math.floor(value / 1e6);
  if (typeof value === "string" && /^\d{1,20}$/.test(value)) {
    const ms = Number(BigInt(value) / 1_000_000n);
    return ms > 0 ? ms : null;
  }
  return null;
}

export function anyValue(value: unknown, depth = 0): unknown {
  if (!isObj(value) || depth > MAX_VALUE_DEPTH) return null;
  if (typeof value.stringValue === "string") return stripNul(value.stringValue);
  if (value.boolValue !== undefined) return value.boolValue === true || value.boolValue === "true";
  if (value.intValue !== undefined) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : String(value.intValue);
  }
  if (value.doubleValue !== undefined) {
    const n = Number(value.doubleValue);
    return Number.isFinite(n) ? n : String(value.doubleValue);
  }
  if (isObj(value.arrayValue)) return list(value.arrayValue.values).map((item) => anyValue(item, depth + 1));
  if (isObj(value.kvlistValue)) return attributes(value.kvlistValue.values, depth + 1);
  if (typeof value.bytesValue === "string") return value.bytesValue;
  return null;
}

export function attributes(values: unknown, depth = 0): Record<string, unknown> {
  const entries: Array<[string, unknown]> = [];
  for (const item of list(values)) {
    if (isObj(item) && typeof item.key === "string")
      entries.push([stripNul(item.key), anyValue(item.value, depth)]);
  }
  // fromEntries defines own properties: a `__proto__` key is kept as data and never becomes a prototype.
  return Object.fromEntries(entries);
}

function collector<T>(): ReadResult<T> & { reject(reason: string): void } {
  const result: ReadResult<T> = { items: [], rejected: 0, reasons: [] };
  return Object.assign(result, {
    reject(reason: string) {
      result.rejected += 1;
      if (result.reasons.length < MAX_REASONS && !result.reasons.includes(reason))
        result.reasons.push(reason);
    },
  });
}

export function readSpans(request: Obj, encoding: "json" | "protobuf"): ReadResult<OtlpSpan> {
  const out = collector<OtlpSpan>();
  for (const resourceSpans of list(request.resourceSpans)) {
    if (!isObj(resourceSpans)) continue;
    const resource = attributes(isObj(resourceSpans.resource) ? resourceSpans.resource.attributes : []);
    for (const scopeSpans of list(resourceSpans.scopeSpans)) {
      if (!isObj(scopeSpans)) continue;
      const scope =
        isObj(scopeSpans.scope) && typeof scopeSpans.scope.name === "string" ? scopeSpans.scope.name : null;
      for (const span of list(scopeSpans.spans)) {
        if (!isObj(span)) {
          out.reject("a span is not an object");
          continue;
        }
        const traceId = readId(span.traceId, 16, encoding);
        const spanId = readId(span.spanId, 8, encoding);
        const startMs = nanosToMs(span.startTimeUnixNano);
        if (traceId === null)
          out.reject("traceId: missing or not 16 bytes (32 hex characters), not all zero");
        else if (spanId === null)
          out.reject("spanId: missing or not 8 bytes (16 hex characters), not all zero");
        else if (startMs === null) out.reject("startTimeUnixNano: missing or not a positive integer");
        else {
          const status = isObj(span.status) ? span.status : {};
          out.items.push({
            traceId,
            spanId,
            parentSpanId: readId(span.parentSpanId, 8, encoding),
            name: typeof span.name === "string" ? stripNul(span.name) : "",
            startMs,
            endMs: nanosToMs(span.endTimeUnixNano),
            attributes: attributes(span.attributes),
            resource,
            scope,
            events: list(span.events)
              .filter(isObj)
              .map((event) => ({
                name: typeof event.name === "string" ? stripNul(event.name) : "",
                timeMs: nanosToMs(event.timeUnixNano) ?? startMs,
                attributes: attributes(event.attributes),
              })),
            statusCode: Number(status.code ?? 0) || 0,
            statusMessage:
              typeof status.message === "string" && status.message ? stripNul(status.message) : null,
          });
        }
      }
    }
  }
  return out;
}

export function readLogs(request: Obj, encoding: "json" | "protobuf"): ReadResult<OtlpLogRecord> {
  const out = collector<OtlpLogRecord>();
  for (const resourceLogs of list(request.resourceLogs)) {
    if (!isObj(resourceLogs)) continue;
    for (const scopeLogs of list(resourceLogs.scopeLogs)) {
      if (!isObj(scopeLogs)) continue;
      for (const record of list(scopeLogs.logRecords)) {
        if (!isObj(record)) {
          out.reject("a log record is not an object");
          continue;
        }
        const traceId = readId(record.traceId, 16, encoding);
        const spanId = readId(record.spanId, 8, encoding);
        if (traceId === null || spanId === null) {
          out.reject(
            "traceId/spanId: phospho keeps the log records of a span (message content), and this one has none",
          );
          continue;
        }
        const attrs = attributes(record.attributes);
        const eventName =
          typeof record.eventName === "string" && record.eventName !== ""
            ? record.eventName
            : typeof attrs["event.name"] === "string"
              ? attrs["event.name"]
              : null;
        out.items.push({
          traceId,
          spanId,
          timeMs: nanosToMs(record.timeUnixNano) ?? nanosToMs(record.observedTimeUnixNano) ?? 0,
          eventName,
          body: anyValue(record.body),
          attributes: attrs,
        });
      }
    }
  }
  return out;
}
