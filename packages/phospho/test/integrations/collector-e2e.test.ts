// End to end through the real `phospho-server` (built CLI, SQLite in a temp dir): the flat fields the wrappers
// send become the collector's task columns (model, tokens with cache and reasoning, latency, TTFT, status), read
// straight from its database. Needs packages/server/dist (`npm test` builds it first).

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import Database from "better-sqlite3";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Phospho } from "../../src/index.js";
import { wrapAnthropic } from "../../src/integrations/anthropic/index.js";
import { withPhospho, wrapOpenAI } from "../../src/integrations/openai/index.js";
import { repoRoot } from "../helpers/built.js";
import { type FakeProviders, startFakeProviders } from "./fake-providers.js";

const cli = join(repoRoot, "packages/server/dist/cli.js");
const PROJECT = "wrap_e2e";
const KEY = "phk_wrap_e2e_0123456789abcdef0123456789";

let server: ChildProcess | undefined;
let dir: string;
let baseUrl: string;
let fake: FakeProviders;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build`);
  dir = await mkdtemp(join(tmpdir(), "phospho-wrap-e2e-"));
  const child = spawn(process.execPath, [cli, "--port", "0", "--db", join(dir, "db.sqlite")], {
    env: { ...process.env, PHOSPHO_PROJECT_ID: PROJECT, PHOSPHO_API_KEY: KEY },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server = child;
  baseUrl = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(`${match[1]}/v2`);
    });
    child.on("exit", (code) => reject(new Error(`phospho-server exited with ${code}: ${out}`)));
  });
  fake = await startFakeProviders();
});

afterAll(async () => {
  if (server?.pid) process.kill(server.pid);
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const COLUMNS =
  "model, system_prompt, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, cache_write_tokens, " +
  "reasoning_tokens, status, user_id, session_id";

function stored(taskId: string): Record<string, unknown> {
  const db = new Database(join(dir, "db.sqlite"), { readonly: true });
  try {
    const row = db.prepare(`SELECT ${COLUMNS}, latency_ms, ttft_ms FROM tasks WHERE id = ?`).get(taskId);
    return row as Record<string, unknown>;
  } finally {
    db.close();
  }
}

describe("wrappers → phospho-server", () => {
  it("stores model, tokens with cache and reasoning, latency, TTFT and status as task columns", async () => {
    const errors: unknown[] = [];
    const phospho = new Phospho({ apiKey: KEY, projectId: PROJECT, baseUrl, onError: (e) => errors.push(e) });
    const openai = wrapOpenAI(new OpenAI({ apiKey: "sk-fake", baseURL: fake.openaiBaseUrl, maxRetries: 0 }), {
      phospho,
      userId: "u1",
    });
    const anthropic = wrapAnthropic(
      new Anthropic({ apiKey: "sk-ant-fake", baseURL: fake.anthropicBaseUrl, maxRetries: 0 }),
      { phospho },
    );
    const messages = [
      { role: "system" as const, content: "Be brief." },
      { role: "user" as const, content: "Capital of France?" },
    ];
    await openai.chat.completions.create(
      { model: "gpt-4o", messages },
      withPhospho({ taskId: "t_chat", sessionId: "s1" }),
    );
    const stream = await openai.chat.completions.create(
      { model: "gpt-4o", messages, stream: true, stream_options: { include_usage: true } },
      withPhospho({ taskId: "t_stream" }),
    );
    for await (const chunk of stream) void chunk;
    await anthropic.messages.create(
      { model: "claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "user", content: "Hi" }] },
      withPhospho({ taskId: "t_claude" }),
    );
    expect(await phospho.flush(10_000)).toBe(true);
    expect(errors).toEqual([]);

    expect(stored("t_chat")).toMatchObject({
      model: "gpt-4o-2024",
      system_prompt: "Be brief.",
      prompt_tokens: 40,
      completion_tokens: 9,
      total_tokens: 49,
      cache_read_tokens: 32,
      cache_write_tokens: null,
      reasoning_tokens: 4,
      status: "completed",
      user_id: "u1",
      session_id: "s1",
      latency_ms: expect.any(Number),
      ttft_ms: null,
    });
    expect(stored("t_stream")).toMatchObject({
      model: "gpt-4o-2024",
      cache_read_tokens: 32,
      status: "completed",
      ttft_ms: expect.any(Number),
    });
    expect(stored("t_claude")).toMatchObject({
      model: "claude-sonnet-4-5",
      prompt_tokens: 130,
      cache_read_tokens: 100,
      cache_write_tokens: 20,
      completion_tokens: 7,
      status: "completed",
    });
    await phospho.shutdown(1000);
  });
});
