/** OTLP JSON payloads written by hand, as the OTLP/HTTP JSON encoding defines them. */
import { randomBytes } from "node:crypto";

export type AnyValue = Record<string, unknown>;
export const str = (value: string): AnyValue => ({ stringValue: value });
export const int = (value: number): AnyValue => ({ intValue: String(value) });
export const attrs = (values: Record<string, AnyValue | string | number>) =>
  Object.entries(values).map(([key, value]) => ({
    key,
    value: typeof value === "string" ? str(value) : typeof value === "number" ? int(value) : value,
  }));

export const newTraceId = () => randomBytes(16).toString("hex");
export const newSpanId = () => randomBytes(8).toString("hex");
export const nanos = (ms: number) => `${ms}000000`;

export interface SpanSpec {
  traceId?: string | undefined;
  spanId: string;
  parentSpanId?: string;
  name: string;
  start: number;
  end: number;
  attributes?: Record<string, AnyValue | string | number>;
  status?: { code: number; message?: string };
  events?: Array<{ name: string; time: number; attributes: Record<string, AnyValue | string | number> }>;
}

export function span(traceId: string | undefined, spec: SpanSpec) {
  return {
    ...(traceId === undefined ? {} : { traceId }),
    spanId: spec.spanId,
    ...(spec.parentSpanId ? { parentSpanId: spec.parentSpanId } : {}),
    name: spec.name,
    kind: 1,
    startTimeUnixNano: nanos(spec.start),
    endTimeUnixNano: nanos(spec.end),
    attributes: attrs(spec.attributes ?? {}),
    events: (spec.events ?? []).map((event) => ({
      name: event.name,
      timeUnixNano: nanos(event.time),
      attributes: attrs(event.attributes),
    })),
    status: spec.status ?? {},
  };
}

export function traces(spans: unknown[], resource: Record<string, string> = { "service.name": "payloads" }) {
  return {
    resourceSpans: [
      { resource: { attributes: attrs(resource) }, scopeSpans: [{ scope: { name: "hand" }, spans }] },
    ],
  };
}

export function logs(records: unknown[]) {
  return {
    resourceLogs: [
      { resource: { attributes: [] }, scopeLogs: [{ scope: { name: "hand" }, logRecords: records }] },
    ],
  };
}
