/**
 * `POST /v1/traces` and `POST /v1/logs` (OTLP/HTTP): protobuf or JSON, gzip or not, answered in the request's
 * encoding, after commit. The key is checked before the body is read; the body has its own size limit, before and
 * after gunzip. Errors follow the OTLP spec: a `google.rpc.Status` body, `Retry-After` on 429 and 503.
 */
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
} from "fastify";
import { requireCaller, type Caller } from "../auth/index.js";
import type { Limits } from "../config.js";
import { discardBody } from "../discard-body.js";
import { HttpError } from "../errors.js";
import { isStoreUnavailable, unavailableReply } from "../store/unavailable.js";
import type { Store } from "../store/types.js";
import { prepareLogs, prepareSpans } from "./ingest.js";
import { decodeRequest, encodeResponse, encodeStatus, type Signal } from "./proto.js";
import { readLogs, readSpans } from "./read.js";

export interface OtlpContext {
  store: Store;
  limits: Limits;
  /** Where unexpected errors are reported before the 500. */
  report: (error: Error, request: { method: string; url: string }) => void;
}

const PROTOBUF = "application/x-protobuf";
const JSON_TYPE = "application/json";
const inflate = promisify(gunzip);
const callers = new WeakMap<FastifyRequest, Caller>();

const isProtobuf = (request: FastifyRequest) =>
  (request.headers["content-type"] ?? "").toLowerCase().startsWith(PROTOBUF);

/** gRPC status codes for the HTTP statuses OTLP/HTTP answers with. */
function grpcCode(status: number): number {
  if (status === 400 || status === 413 || status === 415) return 3;
  if (status === 401) return 16;
  if (status === 403) return 7;
  if (status === 429) return 8;
  if (status === 503) return 14;
  return 13;
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
  retryAfter = "1",
) {
  if (status === 429 || status === 503) reply.header("retry-after", retryAfter);
  reply.code(status);
  if (isProtobuf(request))
    return reply.type(PROTOBUF).send(Buffer.from(encodeStatus(grpcCode(status), message)));
  return reply.type(JSON_TYPE).send({ code: grpcCode(status), message, detail: message });
}

async function bodyOf(request: FastifyRequest, limit: number): Promise<Buffer> {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const encoding = (request.headers["content-encoding"] ?? "identity").toLowerCase().trim();
  if (encoding === "identity" || encoding === "") return raw;
  if (encoding !== "gzip")
    throw new HttpError(415, `Content-Encoding ${encoding} is not supported: send gzip or none`);
  try {
    return await inflate(raw, { maxOutputLength: limit });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new HttpError(
        413,
        `The gunzipped body is larger than the limit of ${limit} bytes: export smaller batches`,
      );
    }
    throw new HttpError(400, `The body is not valid gzip: ${(error as Error).message}`);
  }
}

function decode(signal: Signal, body: Buffer, protobuf: boolean): Record<string, unknown> {
  const what = signal === "traces" ? "ExportTraceServiceRequest" : "ExportLogsServiceRequest";
  if (protobuf) {
    try {
      return decodeRequest(signal, body);
    } catch (error) {
      throw new HttpError(400, `The body is not a protobuf ${what}: ${(error as Error).message}`);
    }
  }
  const text = body.toString("utf8");
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `The body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, `The body must be a JSON object (an OTLP ${what})`);
  }
  return parsed as Record<string, unknown>;
}

function route(app: FastifyInstance, signal: Signal, { store, limits }: OtlpContext) {
  // Its own limit, set on the route: the key is checked in this plugin's onRequest, before the body is read.
  app.post(`/v1/${signal}`, { bodyLimit: limits.bodyLimitBytes }, async (request, reply) => {
    const caller = callers.get(request)!;
    const protobuf = isProtobuf(request);
    const request_ = decode(signal, await bodyOf(request, limits.bodyLimitBytes), protobuf);
    const encoding = protobuf ? "protobuf" : "json";
    const now = Date.now();
    const prepared =
      signal === "traces"
        ? prepareSpans(readSpans(request_, encoding), now)
        : prepareLogs(readLogs(request_, encoding), now);
    await store.ingest(caller.projectId, prepared.events);
    const notes = [...prepared.reasons];
    if (prepared.ignored > 0) {
      notes.push(`${prepared.ignored} log records carried no GenAI message content and were not kept`);
    }
    const message = notes.join("; ");
    if (protobuf) {
      return reply.type(PROTOBUF).send(Buffer.from(encodeResponse(signal, prepared.rejected, message)));
    }
    const field = signal === "traces" ? "rejectedSpans" : "rejectedLogRecords";
    return reply
      .type(JSON_TYPE)
      .send(
        prepared.rejected > 0 || message
          ? { partialSuccess: { [field]: prepared.rejected, errorMessage: message } }
          : {},
      );
  });
}

export const otlpRoutes: FastifyPluginAsync<OtlpContext> = async (app, context) => {
  const { store, limits } = context;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    [PROTOBUF, JSON_TYPE],
    { parseAs: "buffer", bodyLimit: limits.bodyLimitBytes },
    (_request, body, done) => done(null, body),
  );
  // The key before the body: a caller without one never gets its body read.
  app.addHook("onRequest", async (request) => {
    callers.set(request, await requireCaller(store, request));
  });
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof HttpError) return send(request, reply, error.status, error.detail);
    if (isStoreUnavailable(error)) {
      const { detail, retryAfter } = unavailableReply(error);
      return send(request, reply, 503, detail, retryAfter);
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
        await discardBody(request.raw, limits.bodyLimitBytes * 4);
        return send(
          request,
          reply,
          413,
          `The body is larger than the limit of ${limits.bodyLimitBytes} bytes: export smaller batches`,
        );
      }
      if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
        return send(request, reply, 415, `Content-Type must be ${PROTOBUF} or ${JSON_TYPE}`);
      }
      return send(request, reply, status, error.message);
    }
    context.report(error, request);
    return send(request, reply, 500, "Internal error: the collector could not handle this request");
  });
  route(app, "traces", context);
  route(app, "logs", context);
};
