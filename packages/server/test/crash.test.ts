/**
 * Durability: batches are sent concurrently, the server is SIGKILLed at a random moment and restarted on the same
 * file. Every event whose batch got a 200 is stored exactly once, batches are all-or-nothing, and session
 * statistics and the aggregates agree with the tasks (`phospho-server aggregates check`), and the restarted
 * collector's search indexer catches up with every task the killed one had not indexed.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, ensureBuilt, startServer } from "./helpers/server-process.js";

const PROJECT = "crash-project";
const KEY = "crash-key-of-at-least-32-characters-long";
const WORKERS = 6;
const BATCH = 25;

describe("crash safety", { timeout: 90_000 }, () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "phospho-crash-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps every acknowledged event exactly once across a SIGKILL", async () => {
    const db = join(dir, "crash.db");
    const env = { PHOSPHO_PROJECT_ID: PROJECT, PHOSPHO_API_KEY: KEY };
    const server = await startServer(["--port", "0", "--db", db], env);
    const acknowledged: string[][] = [];
    const attempted: string[][] = [];
    let stop = false;

    async function worker(w: number) {
      for (let b = 0; !stop; b++) {
        const ids = Array.from({ length: BATCH }, (_, i) => `w${w}-b${b}-e${i}`);
        attempted.push(ids);
        const body = {
          batched_log_events: ids.map((id, i) => ({
            task_id: id,
            session_id: `session-${w}`,
            input: `event ${id}`,
            output: "x".repeat(200),
            client_created_at: 1_700_000_000 + b,
            prompt_tokens: 1,
            completion_tokens: i,
          })),
        };
        try {
          const res = await fetch(`${server.origin}/v2/log/${PROJECT}`, {
            method: "POST",
            headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
            body: JSON.stringify(body),
          });
          if (res.status === 200) {
            await res.json();
            acknowledged.push(ids);
          }
        } catch {
          return;
        }
      }
    }

    const running = Array.from({ length: WORKERS }, (_, w) => worker(w));
    // A random moment after the first acknowledgement, so that there is always something to lose.
    while (acknowledged.length === 0) await new Promise((done) => setTimeout(done, 10));
    await new Promise((done) => setTimeout(done, Math.random() * 800));
    server.child.kill("SIGKILL");
    expect((await server.exited).signal).toBe("SIGKILL");
    stop = true;
    await Promise.all(running);
    expect(acknowledged.length).toBeGreaterThan(0);

    const restarted = await startServer(["--port", "0", "--db", db], env);
    try {
      const after = await fetch(`${restarted.origin}/v2/log/${PROJECT}`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ batched_log_events: [{ task_id: "after-restart", input: "still alive" }] }),
      });
      expect(after.status).toBe(200);

      // The search log survived the kill: the restarted indexer empties it, and the full-text index then holds
      // every stored task (each input holds "event"), none missing and none stale.
      const deadline = Date.now() + 60_000;
      let search = { pending: -1, lag_ms: -1 };
      while (Date.now() < deadline) {
        search = ((await (await fetch(`${restarted.origin}/health`)).json()) as { search: typeof search })
          .search;
        if (search.pending === 0) break;
        await new Promise((done) => setTimeout(done, 50));
      }
      expect(search).toEqual({ pending: 0, lag_ms: 0 });

      const sqlite = new Database(db, { readonly: true });
      try {
        const stored = new Map<string, number>();
        for (const row of sqlite
          .prepare("SELECT id, count(*) AS n FROM tasks WHERE project_id = ? GROUP BY id")
          .all(PROJECT) as Array<{
          id: string;
          n: number;
        }>) {
          stored.set(row.id, row.n);
        }
        for (const batch of acknowledged) for (const id of batch) expect(stored.get(id)).toBe(1);
        const rowids = (query: string) =>
          (sqlite.prepare(query).all() as Array<{ rowid: number }>)
            .map((row) => row.rowid)
            .sort((a, b) => a - b);
        const indexed = rowids(`SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH '"eve"'`);
        expect(indexed.length).toBeGreaterThanOrEqual(acknowledged.length * BATCH);
        expect(indexed).toEqual(rowids("SELECT rowid FROM tasks WHERE input LIKE '%event%'"));
        // All or nothing: a batch is one transaction.
        for (const batch of attempted) {
          const present = batch.filter((id) => stored.has(id)).length;
          expect([0, batch.length]).toContain(present);
        }
        const sessions = sqlite
          .prepare(
            `SELECT s.id, s.session_length, s.completion_tokens,
                    (SELECT count(*) FROM tasks t WHERE t.project_id = s.project_id AND t.session_id = s.id) AS tasks,
                    (SELECT sum(completion_tokens) FROM tasks t WHERE t.project_id = s.project_id AND t.session_id = s.id) AS tokens
             FROM sessions s WHERE s.project_id = ?`,
          )
          .all(PROJECT) as Array<{
          session_length: number;
          tasks: number;
          completion_tokens: number;
          tokens: number;
        }>;
        expect(sessions.length).toBeGreaterThan(0);
        for (const session of sessions) {
          expect(session.session_length).toBe(session.tasks);
          expect(session.completion_tokens).toBe(session.tokens);
        }
      } finally {
        sqlite.close();
      }
    } finally {
      restarted.child.kill("SIGTERM");
      expect((await restarted.exited).code).toBe(0);
    }
    // The aggregates committed with their tasks: a recount from the tasks finds no difference (exit 0).
    const check = execFileSync(process.execPath, [CLI, "aggregates", "check", "--db", db], {
      encoding: "utf8",
    });
    expect(check).toContain("aggregates consistent with the tasks");
  });
});
