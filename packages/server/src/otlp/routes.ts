/**
 * `POST /v1/traces` and `POST /v1/logs` (OTLP/HTTP): protobuf or JSON, gzip or not, answered in the request's
 * encoding, after commit. The key is checked before the body is read; the body has its own size limit, before and
 * after gunzip. Errors follow the OTLP spec: a `google.rpc.Status` body, `Retry-After` on 429 and 503. A project
 * whose spans and log records awaiting commit pass `otlpMaxPendingPerProject` gets 429 (backlog.ts).
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
import { clientGone } from "../security/index.js";
import { isStoreUnavailable, unavailableReply } from "../store/unavailable.js";
import { AbandonedError } from "../store/write-queue.js";
import type { Store } from "../store/types.js";
import { Backlog } from "./backlog.js";
import { prepareLogs, prepareSpans } from "./ingest.js";
import { decodeRequest, encodeResponse, encodeStatus, type Signal } from "./proto.js";
import { readLogs, readSpans, type ReadResult } from "./read.js";

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

/**
 * PostgreSQL's deadlock and serialization failures: the transaction was rolled back, nothing was committed, and
 * the same request will pass when sent again, so the exporter is told to retry (503) rather than drop (500).
 */
const isRetryableConflict = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return code === "40P01" || code === "40001";
};

/** gRPC status codes for the HTTP statuses OTLP/HTTP answers with. */
function grpcCode(status: number): number {
  if (status === 400 || status === 413 || status === 415) return 3;
  if (status === 401) return 16;
  if (status === 403) return 7;
  if (status === 429) return 8;
  if (status === 503) return 14;
  return 13;
}

/** Seconds an exporter is asked to wait on a 429 or 503: a group commit takes milliseconds, a backlog drains in a few. */
const RETRY_AFTER_SECONDS = "1";

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
  retryAfter = RETRY_AFTER_SECONDS,
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

function overloaded(projectId: string, backlog: Backlog): HttpError {
  return new HttpError(
    429,
    `Project ${projectId} has ${backlog.of(projectId)} spans and log records awaiting commit, the limit is ` +
      `${backlog.limit} (PHOSPHO_OTLP_MAX_PENDING): retry after ${RETRY_AFTER_SECONDS} s`,
  );
}

function route(app: FastifyInstance, signal: Signal, { store, limits }: OtlpContext, backlog: Backlog) {
  // Its own limit, set on the route: the key is checked in this plugin's onRequest, before the body is read.
  app.post(`/v1/${signal}`, { bodyLimit: limits.bodyLimitBytes }, async (request, reply) => {
    const caller = callers.get(request)!;
    const protobuf = isProtobuf(request);
    const request_ = decode(signal, await bodyOf(request, limits.bodyLimitBytes), protobuf);
    const encoding = protobuf ? "protobuf" : "json";
    const now = Date.now();
    // The same bound as events per `/v2/log` request: one request is one transaction's worth of work.
    const bounded = <T>(read: ReadResult<T>): ReadResult<T> => {
      const items = read.items.length + read.rejected;
      if (items > limits.maxBatchEvents) {
        const what = signal === "traces" ? "spans" : "log records";
        throw new HttpError(
          413,
          `The request holds ${items} ${what}, more than the limit of ${limits.maxBatchEvents}: export smaller batches`,
        );
      }
      return read;
    };
    const prepared =
      signal === "traces"
        ? prepareSpans(bounded(readSpans(request_, encoding)), now)
        : prepareLogs(bounded(readLogs(request_, encoding)), now);
    const release = backlog.admit(caller.projectId, prepared.accepted);
    if (!release) throw overloaded(caller.projectId, backlog);
    try {
      await store.ingest(caller.projectId, prepared.events, clientGone(reply));
    } finally {
      release();
    }
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
  const backlog = new Backlog(limits.otlpMaxPendingPerProject);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    [PROTOBUF, JSON_TYPE],
    { parseAs: "buffer", bodyLimit: limits.bodyLimitBytes },
    (_request, body, done) => done(null, body),
  );
  // The key before the body: a caller without one never gets its body read, nor one whose backlog is full.
  app.addHook("onRequest", async (request) => {
    const caller = await requireCaller(store, request);
    if (backlog.full(caller.projectId)) throw overloaded(caller.projectId, backlog);
    callers.set(request, caller);
  });
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof HttpError) return send(request, reply, error.status, error.detail);
    // The client went away before its write ran: nothing was stored, and no one reads this answer.
    if (error instanceof AbandonedError) return send(request, reply, 503, error.message);
    if (isRetryableConflict(error)) {
      return send(
        request,
        reply,
        503,
        `The write met a concurrent one (${error.message}): retry in a moment`,
      );
    }
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
  route(app, "traces", context, backlog);
  route(app, "logs", context, backlog);
};
