/**
 * Durability of OTLP ingest: traces are exported concurrently, the server is SIGKILLed mid-stream and restarted on
 * the same file; every trace whose request got a 200 is there with all its steps.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, startServer } from "../helpers/server-process.js";
import { KEY, PROJECT, type WireTask } from "./emitters.js";
import { newSpanId, newTraceId, span, traces } from "./payloads.js";

const WORKERS = 4;
const SPANS = 5;

describe("OTLP crash safety", { timeout: 90_000 }, () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "phospho-otlp-crash-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps every acknowledged trace, whole, across a SIGKILL", async () => {
    const db = join(dir, "crash.db");
    const env = { PHOSPHO_PROJECT_ID: PROJECT, PHOSPHO_API_KEY: KEY };
    const server = await startServer(["--port", "0", "--db", db], env);
    const acknowledged: string[] = [];
    let stop = false;
    const t0 = Date.now() - 60_000;

    async function worker() {
      while (!stop) {
        const traceId = newTraceId();
        const root = newSpanId();
        const spans = [
          span(traceId, { spanId: root, name: "root", start: t0, end: t0 + 100 }),
          ...Array.from({ length: SPANS - 1 }, (_, i) =>
            span(traceId, {
              spanId: newSpanId(),
              parentSpanId: root,
              name: `chat ${i}`,
              start: t0 + i,
              end: t0 + i + 10,
              attributes: { "gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": 3 },
            }),
          ),
        ];
        try {
          const res = await fetch(`${server.origin}/v1/traces`, {
            method: "POST",
            headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
            body: JSON.stringify(traces(spans)),
          });
          if (res.status === 200) {
            await res.arrayBuffer();
            acknowledged.push(traceId);
          }
        } catch {
          return;
        }
      }
    }

    const running = Array.from({ length: WORKERS }, () => worker());
    while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 20));
    server.child.kill("SIGKILL");
    await server.exited;
    stop = true;
    await Promise.all(running);

    const again = await startServer(["--port", "0", "--db", db], env);
    try {
      for (const traceId of acknowledged) {
        const res = await fetch(`${again.origin}/v2/tasks/${traceId}`, {
          headers: { authorization: `Bearer ${KEY}` },
        });
        expect(res.status).toBe(200);
        const task = (await res.json()) as WireTask;
        expect(task.steps).toHaveLength(SPANS);
        expect(task.metadata.prompt_tokens).toBe(3 * (SPANS - 1));
      }
    } finally {
      again.child.kill("SIGTERM");
      await again.exited;
    }
  });
});
