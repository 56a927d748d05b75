/**
 * End to end: the SDK (packages/phospho, built) logs plain tasks, a stream, metadata and feedback into the real
 * `phospho-server` binary, and the test reads them back through the v2 read API.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type * as Phospho from "phospho";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, PACKAGE_DIR, startServer, type RunningServer } from "./helpers/server-process.js";

const SDK_DIR = resolve(PACKAGE_DIR, "../phospho");
const SDK_DIST = join(SDK_DIR, "dist/index.js");
const PROJECT = "e2e-project";
const KEY = "phk_e2e_server_side_key_of_32_chars_or_more";

function sdkBuilt(): boolean {
  if (existsSync(SDK_DIST)) return true;
  try {
    execFileSync("npm", ["run", "build"], { cwd: SDK_DIR, stdio: "ignore" });
  } catch {
    // Reported below.
  }
  return existsSync(SDK_DIST);
}

const hasSdk = sdkBuilt();
if (!hasSdk) console.warn(`[notice] ${SDK_DIST} could not be built: skipping the SDK end-to-end test`);

type Sdk = typeof Phospho;
type Task = Record<string, unknown> & { id: string; metadata: Record<string, unknown> };

describe.skipIf(!hasSdk)("SDK → phospho-server, end to end", { timeout: 90_000 }, () => {
  let dir: string;
  let server: RunningServer;
  let sdk: Sdk;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "phospho-e2e-"));
    server = await startServer(["--port", "0", "--db", join(dir, "e2e.db")], {
      PHOSPHO_PROJECT_ID: PROJECT,
      PHOSPHO_API_KEY: KEY,
    });
    sdk = (await import(SDK_DIST)) as Sdk;
  });

  afterAll(async () => {
    server?.child.kill("SIGTERM");
    if (server) expect((await server.exited).code).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  async function read<T>(path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${server.origin}/v2${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  }

  it("logs tasks, a stream, metadata and feedback, all readable back", async () => {
    const errors: unknown[] = [];
    const client = new sdk.Phospho();
    client.init({
      apiKey: KEY,
      projectId: PROJECT,
      baseUrl: `${server.origin}/v2`,
      flushIntervalMs: 50,
      onError: (error: unknown) => errors.push(error),
    });

    const plain = await client.log({
      input: "What is the capital of France?",
      output: "Paris.",
      sessionId: "e2e-session",
      userId: "user-1",
      versionId: "v7",
      metadata: { plan: "pro" },
    });
    const second = await client.log({ input: "And of Italy?", output: "Rome.", sessionId: "e2e-session" });

    async function* chunks() {
      const pieces = ["Once", " upon", " a time"];
      for (const [i, piece] of pieces.entries()) {
        yield {
          id: "chatcmpl-e2e",
          object: "chat.completion.chunk",
          model: "gpt-4o-mini",
          choices: [
            { index: 0, delta: { content: piece }, finish_reason: i === pieces.length - 1 ? "stop" : null },
          ],
        };
      }
      yield {
        id: "chatcmpl-e2e",
        object: "chat.completion.chunk",
        model: "gpt-4o-mini",
        choices: [],
        usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
      };
    }
    const stream = chunks();
    const streamed = await client.log({
      input: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Tell a story" }], stream: true },
      output: stream,
      stream: true,
      sessionId: "e2e-session",
    });
    const seen: string[] = [];
    for await (const chunk of stream) {
      const delta = (chunk as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta
        ?.content;
      if (delta) seen.push(delta);
    }
    expect(seen.join("")).toBe("Once upon a time");

    await client.userFeedback({ taskId: plain.task_id, rawFlag: "👍", notes: "helpful" });
    expect(await client.flush(10_000)).toBe(true);
    await sdk.sendUserFeedback({
      projectId: PROJECT,
      taskId: second.task_id,
      rawFlag: "👎",
      baseUrl: `${server.origin}/v2`,
    });
    await client.shutdown();
    expect(errors).toEqual([]);

    const { tasks } = await read<{ tasks: Task[] }>(`/projects/${PROJECT}/tasks`, {});
    expect(tasks).toHaveLength(3);
    const byId = new Map(tasks.map((task) => [task.id, task]));

    const first = byId.get(plain.task_id)!;
    expect(first).toMatchObject({
      input: "What is the capital of France?",
      output: "Paris.",
      session_id: "e2e-session",
      flag: "success",
      notes: "helpful",
    });
    expect(first.metadata).toMatchObject({ plan: "pro", user_id: "user-1", version_id: "v7" });

    expect(byId.get(second.task_id)).toMatchObject({ output: "Rome.", flag: "failure" });

    const story = byId.get(streamed.task_id)!;
    expect(story.output).toBe("Once upon a time");
    expect(story.metadata).toMatchObject({
      stream_status: "completed",
      prompt_tokens: 11,
      completion_tokens: 3,
    });

    const session = await read<{ session_length: number; metadata: Record<string, number>; stats: unknown }>(
      "/sessions/e2e-session",
    );
    expect(session.session_length).toBe(3);
    expect(session.metadata.total_tokens).toBeGreaterThanOrEqual(14);
    expect(session.stats).toEqual({ success_count: 1, failure_count: 1 });

    const filtered = await read<{ tasks: Task[] }>(`/projects/${PROJECT}/tasks`, {
      filters: { user_id: "user-1" },
    });
    expect(filtered.tasks.map((task) => task.id)).toEqual([plain.task_id]);
  });
});
