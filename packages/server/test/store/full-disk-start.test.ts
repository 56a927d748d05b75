/**
 * Issue 13, item 17: on a full disk the collector starts read-only instead of not at all. The disk is real: a
 * 4 MB tmpfs, filled to the last byte. Reads are served, writes get 503 with Retry-After naming the cause,
 * health says read-only, and once space is freed the next write commits and the store is read-write again.
 * Mounting needs root (as in CI); elsewhere the test is skipped with a notice.
 */
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, startServer, type RunningServer } from "../helpers/server-process.js";

const dir = mkdtempSync(join(tmpdir(), "phospho-full-disk-"));
const mounted = (() => {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", dir], { stdio: "ignore" });
    return true;
  } catch {
    console.warn(`full-disk-start.test.ts: skipped, this machine cannot mount a tmpfs (needs root)`);
    return false;
  }
})();

const PROJECT = "proj_full_disk";
const KEY = "phk_full_disk_test_key_0123456789abcdef";
const env = { PHOSPHO_PROJECT_ID: PROJECT, PHOSPHO_API_KEY: KEY, PHOSPHO_ANALYTICS: "off" };
const db = join(dir, "phospho.db");
const filler = join(dir, "filler");

/** Writes zeros until the disk refuses one more byte. */
function fillDisk(): void {
  const fd = openSync(filler, "w");
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (let size = chunk.length; size > 0;) {
      try {
        writeSync(fd, chunk, 0, size);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
        size = Math.floor(size / 2);
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Resolves once the server's stderr matches (its two pipes are read independently). */
function stderrMatching(server: RunningServer, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const check = () => {
      if (!pattern.test(server.stderr())) return;
      server.child.stderr!.off("data", later);
      resolve(server.stderr());
    };
    const later = () => setImmediate(check);
    server.child.stderr!.on("data", later);
    check();
  });
}

async function stop(server: RunningServer): Promise<void> {
  server.child.kill("SIGTERM");
  expect((await server.exited).code).toBe(0);
}

describe.skipIf(!mounted)("starting on a full disk", () => {
  let server: RunningServer;
  const call = (path: string, body?: unknown) =>
    fetch(`${server.origin}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: body === undefined ? null : JSON.stringify(body),
    });
  const log = (taskId: string) =>
    call(`/v2/log/${PROJECT}`, { batched_log_events: [{ task_id: taskId, input: `hello ${taskId}` }] });

  beforeAll(async () => {
    ensureBuilt();
    const first = await startServer(["--port", "0", "--db", db], env);
    server = first;
    expect((await log("before")).status).toBe(200);
    await stop(first);
    fillDisk();
    server = await startServer(["--port", "0", "--db", db], env);
  }, 60_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
    await server?.exited;
    execFileSync("umount", [dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves reads and says it is read-only", async () => {
    expect(await stderrMatching(server, /read-only/)).toMatch(
      /read-only: the disk is full: SQLite cannot size its WAL index/,
    );
    const health = await call("/v2/health");
    expect(health.status).toBe(200);
    const body = (await health.json()) as { read_only?: { cause: string } };
    expect(body.read_only?.cause).toMatch(/disk is full|SQLITE_FULL/);
    const task = await call("/v2/tasks/before");
    expect(task.status).toBe(200);
    expect(((await task.json()) as { input: string }).input).toBe("hello before");
  });

  it("refuses writes with 503 and Retry-After, naming the full disk", async () => {
    const res = await log("while-full");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(((await res.json()) as { detail: string }).detail).toMatch(
      /read-only: the disk holding it is full/,
    );
    expect((await call("/v2/tasks/while-full")).status).toBe(404);
  });

  it("is read-write again at the first write after space is freed", async () => {
    rmSync(filler);
    expect((await log("after")).status).toBe(200);
    expect(((await (await call("/v2/health")).json()) as { read_only?: unknown }).read_only).toBeUndefined();
    expect((await call("/v2/tasks/after")).status).toBe(200);
    await stop(server);
  });
});
