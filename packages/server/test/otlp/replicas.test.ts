/**
 * Two collector replicas over one PostgreSQL database, each receiving parts of the same traces at the same
 * instant: spans of one trace on both, and log records for the same span on both. Whatever the interleaving,
 * nothing is lost: every step, every joined message, and the task recomputed from all of them.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { openStore } from "../../src/store/index.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { createPostgresDatabase, postgresAvailable, type TestDatabase } from "../helpers/postgres.js";
import type { WireTask } from "./emitters.js";
import { attrs, logs, nanos, newSpanId, newTraceId, span, traces } from "./payloads.js";

const ROUNDS = 25;
const CALLS = 4;

interface Replica {
  app: FastifyInstance;
  store: KyselyStore;
}

function message(traceId: string, spanId: string, time: number, eventName: string, values: object) {
  return { timeUnixNano: nanos(time), traceId, spanId, eventName, body: { kvlistValue: { values } } };
}

/** A root span and CALLS chat spans, each with its user message and its choice as log records. */
function agentTrace(traceId: string, t0: number) {
  const root = newSpanId();
  const calls = Array.from({ length: CALLS }, () => newSpanId());
  const rootSpan = span(traceId, {
    spanId: root,
    name: "agent",
    start: t0,
    end: t0 + 10_000,
    attributes: { "gen_ai.operation.name": "invoke_agent" },
  });
  const callSpans = calls.map((spanId, index) =>
    span(traceId, {
      spanId,
      parentSpanId: root,
      name: `chat ${index}`,
      start: t0 + 100 + index * 1_000,
      end: t0 + 900 + index * 1_000,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.usage.input_tokens": 10 + index,
        "gen_ai.usage.output_tokens": 1,
      },
    }),
  );
  const questions = calls.map((spanId, index) =>
    message(
      traceId,
      spanId,
      t0 + 101 + index * 1_000,
      "gen_ai.user.message",
      attrs({ content: `q${index}` }),
    ),
  );
  const answers = calls.map((spanId, index) =>
    message(traceId, spanId, t0 + 899 + index * 1_000, "gen_ai.choice", [
      { key: "message", value: { kvlistValue: { values: attrs({ content: `a${index}` }) } } },
    ]),
  );
  return { rootSpan, callSpans, questions, answers };
}

describe.skipIf(!(await postgresAvailable()))("OTLP on two PostgreSQL replicas at once", () => {
  let database: TestDatabase;
  let replicas: [Replica, Replica];
  let key: string;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const staticDir = mkdtempSync(join(tmpdir(), "phospho-static-"));
    const open = async (): Promise<Replica> => {
      const store = await openStore(database.url, { warn: () => {} });
      return { store, app: await buildApp({ store, staticDir }) };
    };
    const first = await open();
    replicas = [first, await open()];
    const project = await first.store.createProject("replicas");
    key = (await first.store.createApiKey(project.id)).key;
  }, 60_000);
  afterAll(async () => {
    for (const replica of replicas ?? []) {
      await replica.app.close();
      await replica.store.close();
    }
    await database?.drop();
  });

  /** As an OTLP exporter does: a 503 (nothing committed) is sent again. */
  const send = async (replica: Replica, path: string, body: unknown) => {
    for (let attempt = 1; ; attempt += 1) {
      const response = await replica.app.inject({
        method: "POST",
        url: path,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        payload: JSON.stringify(body),
      });
      if (response.statusCode === 503 && attempt < 5) continue;
      expect(response.statusCode, response.body).toBe(200);
      return;
    }
  };

  it(`keeps every span and log record of traces split across both, ${ROUNDS} rounds`, async () => {
    const [a, b] = replicas;
    const t0 = Date.now() - 60_000;
    const ids = Array.from({ length: ROUNDS }, () => newTraceId());
    for (const traceId of ids) {
      const { rootSpan, callSpans, questions, answers } = agentTrace(traceId, t0);
      // Spans of one trace on both replicas; the two log records of every call split between them.
      await Promise.all([
        send(a, "/v1/traces", traces([rootSpan, ...callSpans.filter((_, i) => i % 2 === 0)])),
        send(b, "/v1/traces", traces(callSpans.filter((_, i) => i % 2 === 1))),
        send(a, "/v1/logs", logs(questions)),
        send(b, "/v1/logs", logs(answers)),
      ]);
    }
    const lost: string[] = [];
    for (const traceId of ids) {
      const response = await a.app.inject({
        method: "GET",
        url: `/v2/tasks/${traceId}`,
        headers: { authorization: `Bearer ${key}` },
      });
      const task = response.json<WireTask & { step_count?: number }>();
      const calls = task.steps.filter((step) => step.kind === "llm");
      const complete =
        task.steps.length === CALLS + 1 &&
        calls.every(
          (step, index) =>
            JSON.stringify(step.input) === JSON.stringify([{ role: "user", content: `q${index}` }]) &&
            JSON.stringify(step.output) === JSON.stringify([{ role: "assistant", content: `a${index}` }]),
        ) &&
        task.input === "q0" &&
        task.output === `a${CALLS - 1}` &&
        task.metadata.prompt_tokens === CALLS * 10 + (CALLS * (CALLS - 1)) / 2 &&
        task.metadata.completion_tokens === CALLS &&
        task.metadata.latency_ms === 10_000;
      if (!complete) lost.push(`${traceId}: ${JSON.stringify(task).slice(0, 300)}`);
    }
    expect(lost).toEqual([]);
    const counts = await a.store.db
      .selectFrom("tasks")
      .select(["id", "step_count"])
      .where("id", "in", ids)
      .execute();
    expect(counts.map((row) => Number(row.step_count))).toEqual(ids.map(() => CALLS + 1));
  }, 120_000);
});
