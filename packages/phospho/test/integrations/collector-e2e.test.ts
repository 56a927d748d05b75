// End to end through the real `phospho-server` (built CLI, SQLite in a temp dir): the flat fields the wrappers
// send become the collector's task columns (model, tokens with cache and reasoning, latency, TTFT, status), read
// straight from its database. Needs packages/server/dist (`npm test` builds it first).

import Anthropic from "@anthropic-ai/sdk";
import Database from "better-sqlite3";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Phospho } from "../../src/index.js";
import { wrapAnthropic } from "../../src/integrations/anthropic/index.js";
import { withPhospho, wrapOpenAI } from "../../src/integrations/openai/index.js";
import {
  collectorCli,
  hasCollector,
  startCollectorProcess,
  type CollectorProcess,
} from "../helpers/collector-process.js";
import { type FakeProviders, startFakeProviders } from "./fake-providers.js";

const PROJECT = "wrap_e2e";
const KEY = "phk_wrap_e2e_0123456789abcdef0123456789";

let collector: CollectorProcess | undefined;
let baseUrl: string;
let fake: FakeProviders;

beforeAll(async () => {
  if (!hasCollector) throw new Error(`${collectorCli} is missing: run npm run build`);
  collector = await startCollectorProcess(PROJECT, KEY);
  baseUrl = collector.baseUrl;
  fake = await startFakeProviders();
});

afterAll(async () => {
  await collector?.stop();
  await fake?.close();
});

const COLUMNS =
  "model, system_prompt, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, cache_write_tokens, " +
  "reasoning_tokens, status, user_id, session_id";

function stored(taskId: string): Record<string, unknown> {
  const db = new Database(collector!.dbPath, { readonly: true });
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
