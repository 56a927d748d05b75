/**
 * OTLP protobuf through protobufjs, from the published definitions in `proto/` (opentelemetry-proto, Apache-2.0).
 * Decoded messages become plain objects with OTLP JSON's field names (lowerCamelCase), so that both encodings
 * share one reader; byte fields come back as base64 strings and are turned to hex by the reader.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

// Both `src/otlp/` and `dist/otlp/` sit two levels below the package folder that holds `proto/`.
const PROTO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../proto");

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => resolve(PROTO_DIR, target);
root.loadSync([
  "opentelemetry/proto/collector/trace/v1/trace_service.proto",
  "opentelemetry/proto/collector/logs/v1/logs_service.proto",
]);

// google.rpc.Status, the error body of OTLP/HTTP in protobuf, declared through protobufjs's reflection API.
const status = new protobuf.Type("Status")
  .add(new protobuf.Field("code", 1, "int32"))
  .add(new protobuf.Field("message", 2, "string"));
new protobuf.Root().define("google.rpc").add(status);

const types = {
  traceRequest: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"),
  traceResponse: root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse"),
  logsRequest: root.lookupType("opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest"),
  logsResponse: root.lookupType("opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse"),
};

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: String };

export type Signal = "traces" | "logs";

/** Decodes a request body; throws protobufjs's error (the caller answers 400) when it is not that message. */
export function decodeRequest(signal: Signal, body: Uint8Array): Record<string, unknown> {
  const type = signal === "traces" ? types.traceRequest : types.logsRequest;
  return type.toObject(type.decode(body), TO_OBJECT);
}

/** The export response, with a partial success when some items were rejected. */
export function encodeResponse(signal: Signal, rejected: number, message: string): Uint8Array {
  const type = signal === "traces" ? types.traceResponse : types.logsResponse;
  const field = signal === "traces" ? "rejectedSpans" : "rejectedLogRecords";
  const body =
    rejected > 0 || message ? { partialSuccess: { [field]: rejected, errorMessage: message } } : {};
  return type.encode(type.fromObject(body)).finish();
}

export function encodeStatus(code: number, message: string): Uint8Array {
  return status.encode(status.fromObject({ code, message })).finish();
}
