// End to end: the SDK logs into the real `phospho-server` (its built CLI, SQLite in a temp dir), and the tasks
// are read back through the collector's read API. Needs packages/server/dist (`npm test` builds it first).

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Phospho } from "../src/index.js";
import { repoRoot } from "./helpers/built.js";
import { startFakeProvider, type FakeProvider } from "./helpers/fake-openai.js";

const cli = join(repoRoot, "packages/server/dist/cli.js");
const hasServer = existsSync(cli);
if (!hasServer) console.warn(`[phospho e2e] skipped: ${cli} is missing (run npm run build)`);

const PROJECT = "e2e_project";
const KEY = "phk_e2e_sdk_0123456789abcdef0123456789";

let server: ChildProcess | undefined;
let dir: string;
let baseUrl: string;
let fake: FakeProvider;

async function startServer(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), "phospho-e2e-"));
  const child = spawn(process.execPath, [cli, "--port", "0", "--db", join(dir, "db.sqlite")], {
    env: { ...process.env, PHOSPHO_PROJECT_ID: PROJECT, PHOSPHO_API_KEY: KEY },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server = child;
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(`${match[1]}/v2`);
    });
    child.on("exit", (code) => reject(new Error(`phospho-server exited with ${code}: ${out}`)));
  });
}

async function readTasks(): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${baseUrl}/projects/${PROJECT}/tasks`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: "{}",
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { tasks: Array<Record<string, unknown>> }).tasks;
}

describe.skipIf(!hasServer)("SDK → phospho-server", () => {
  beforeAll(async () => {
    baseUrl = await startServer();
    fake = await startFakeProvider();
  });

  afterAll(async () => {
    if (server?.pid) process.kill(server.pid);
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("logs a completion, a stream and feedback, and reads them back", async () => {
    const errors: unknown[] = [];
    const client = new Phospho({ apiKey: KEY, projectId: PROJECT, baseUrl, onError: (e) => errors.push(e) });
    const openai = new OpenAI({ apiKey: "sk-fake", baseURL: fake.openaiBaseUrl, maxRetries: 0 });
    const query = {
      model: "gpt-4o-mini",
      messages: [{ role: "user" as const, content: "Capital of fashion?" }],
    };

    const plain = await client.log({
      input: query,
      output: openai.chat.completions.create(query),
      sessionId: "session_e2e",
      userId: "user_1",
      versionId: "v1",
    });
    const stream = await openai.chat.completions.create({ ...query, stream: true });
    const streamed = await client.log({ input: query, output: stream, stream: true });
    for await (const _chunk of stream) {
      // consume
    }
    await client.userFeedback({ taskId: plain.task_id, rawFlag: "👍", notes: "nice" });
    expect(await client.flush(10_000)).toBe(true);
    expect(errors).toEqual([]);
    expect(client.stats()).toMatchObject({ logged: 2, sent: 2, droppedTotal: 0, feedbackSent: 1 });

    const tasks = await readTasks();
    const byId = new Map(tasks.map((t) => [t.id, t]));
    expect(byId.get(plain.task_id)).toMatchObject({
      input: "Capital of fashion?",
      output: "It's Paris of course.",
      session_id: "session_e2e",
      flag: "success",
      notes: "nice",
    });
    expect(byId.get(streamed.task_id)).toMatchObject({ output: "It's Paris of course." });
    const meta = byId.get(streamed.task_id)?.metadata as Record<string, unknown>;
    expect(meta).toMatchObject({ stream_status: "completed", total_tokens: 38 });
    await client.shutdown(1000);
  });
});
