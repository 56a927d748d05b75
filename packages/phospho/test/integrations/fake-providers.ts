// Fake OpenAI (chat completions and responses) and Anthropic (messages) APIs on a real HTTP server, JSON and
// SSE, so the wrapper tests drive the real `openai` and `@anthropic-ai/sdk` clients. Each reply can carry tool
// calls, cache and reasoning tokens, or fail with a status.

import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Script {
  /** The reply text, streamed in these pieces. */
  pieces: string[];
  /** Tool calls in the reply (after the text, if any). */
  toolCalls: Array<{ name: string; arguments: string }>;
  /** Answers this status with a provider-shaped error body instead of a reply. */
  failStatus?: number;
  /** Streams stop after this many content chunks by destroying the connection. */
  breakAfterChunks?: number;
  /** Milliseconds before the first streamed chunk (to see a time to first token). */
  firstChunkDelayMs: number;
}

export interface FakeProviders {
  openaiBaseUrl: string;
  anthropicBaseUrl: string;
  script: Script;
  requests: Array<{ path: string; body: Record<string, unknown> }>;
  reset(): void;
  close(): Promise<void>;
}

export const CHAT_USAGE = {
  prompt_tokens: 40,
  completion_tokens: 9,
  total_tokens: 49,
  prompt_tokens_details: { cached_tokens: 32 },
  completion_tokens_details: { reasoning_tokens: 4 },
};
export const RESPONSE_USAGE = {
  input_tokens: 50,
  output_tokens: 12,
  total_tokens: 62,
  input_tokens_details: { cached_tokens: 16 },
  output_tokens_details: { reasoning_tokens: 6 },
};
export const ANTHROPIC_USAGE = {
  input_tokens: 10,
  cache_read_input_tokens: 100,
  cache_creation_input_tokens: 20,
  output_tokens: 7,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function defaults(): Script {
  return { pieces: ["It's ", "Paris."], toolCalls: [], firstChunkDelayMs: 0 };
}

export async function startFakeProviders(): Promise<FakeProviders> {
  const sockets = new Set<Socket>();
  const fake: FakeProviders = {
    openaiBaseUrl: "",
    anthropicBaseUrl: "",
    script: defaults(),
    requests: [],
    reset: () => {
      fake.script = defaults();
      fake.requests.length = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const text = () => fake.script.pieces.join("");

  const sse = async (
    res: http.ServerResponse,
    frames: Array<{ event?: string; data: unknown; content?: boolean }>,
    done?: string,
  ) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    let sent = 0;
    let first = true;
    for (const frame of frames) {
      if (frame.content) {
        if (fake.script.breakAfterChunks !== undefined && sent >= fake.script.breakAfterChunks) {
          await sleep(50);
          res.socket?.destroy();
          return;
        }
        if (first && fake.script.firstChunkDelayMs > 0) await sleep(fake.script.firstChunkDelayMs);
        first = false;
        sent++;
      }
      if (res.destroyed) return;
      res.write(`${frame.event ? `event: ${frame.event}\n` : ""}data: ${JSON.stringify(frame.data)}\n\n`);
    }
    res.end(done ?? "");
  };

  const chat = (res: http.ServerResponse, body: Record<string, unknown>) => {
    const { toolCalls } = fake.script;
    const tool_calls = toolCalls.map((t, i) => ({
      id: `call_${i}`,
      type: "function",
      function: { name: t.name, arguments: t.arguments },
    }));
    const finish = toolCalls.length > 0 ? "tool_calls" : "stop";
    const model = `${String(body.model)}-2024`;
    if (body.stream !== true) {
      const message = {
        role: "assistant",
        content: text() || null,
        ...(toolCalls.length ? { tool_calls } : {}),
      };
      json(res, {
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1_700_000_000,
        model,
        choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
        usage: CHAT_USAGE,
      });
      return;
    }
    const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1_700_000_000, model };
    const chunk = (delta: unknown, finish_reason: string | null = null) => ({
      ...base,
      choices: [{ index: 0, delta, finish_reason }],
    });
    const frames: Array<{ data: unknown; content?: boolean }> = [
      { data: chunk({ role: "assistant", content: "" }) },
      ...fake.script.pieces.map((piece) => ({ data: chunk({ content: piece }), content: true })),
      ...tool_calls.flatMap((call, index) => [
        {
          data: chunk({
            tool_calls: [
              { index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } },
            ],
          }),
          content: true,
        },
        {
          data: chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments } }] }),
          content: true,
        },
      ]),
      { data: chunk({}, finish) },
    ];
    const options = body.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) frames.push({ data: { ...base, choices: [], usage: CHAT_USAGE } });
    void sse(res, frames, "data: [DONE]\n\n");
  };

  const responses = (res: http.ServerResponse, body: Record<string, unknown>) => {
    const output: unknown[] = [];
    if (text()) {
      output.push({
        type: "message",
        id: "msg_1",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: text(), annotations: [] }],
      });
    }
    fake.script.toolCalls.forEach((t, i) =>
      output.push({
        type: "function_call",
        id: `fc_${i}`,
        call_id: `call_${i}`,
        name: t.name,
        arguments: t.arguments,
        status: "completed",
      }),
    );
    const response = {
      id: "resp_1",
      object: "response",
      created_at: 1_700_000_000,
      status: "completed",
      model: `${String(body.model)}-2024`,
      output,
      usage: RESPONSE_USAGE,
    };
    if (body.stream !== true) {
      json(res, response);
      return;
    }
    const started = { ...response, status: "in_progress", output: [], usage: null };
    let seq = 0;
    const frame = (type: string, data: Record<string, unknown>, content = false) => ({
      event: type,
      data: { type, sequence_number: seq++, ...data },
      content,
    });
    const frames = [frame("response.created", { response: started })];
    output.forEach((item, output_index) => {
      const i = item as Record<string, unknown>;
      if (i.type === "message") {
        frames.push(
          frame("response.output_item.added", {
            output_index,
            item: { ...i, status: "in_progress", content: [] },
          }),
          frame("response.content_part.added", {
            item_id: i.id,
            output_index,
            content_index: 0,
            part: { type: "output_text", text: "", annotations: [] },
          }),
          ...fake.script.pieces.map((delta) =>
            frame(
              "response.output_text.delta",
              { item_id: i.id, output_index, content_index: 0, delta },
              true,
            ),
          ),
          frame("response.output_text.done", { item_id: i.id, output_index, content_index: 0, text: text() }),
          frame("response.output_item.done", { output_index, item: i }),
        );
      } else {
        frames.push(
          frame("response.output_item.added", {
            output_index,
            item: { ...i, arguments: "", status: "in_progress" },
          }),
          frame(
            "response.function_call_arguments.delta",
            { item_id: i.id, output_index, delta: i.arguments },
            true,
          ),
          frame("response.function_call_arguments.done", {
            item_id: i.id,
            output_index,
            arguments: i.arguments,
          }),
          frame("response.output_item.done", { output_index, item: i }),
        );
      }
    });
    frames.push(frame("response.completed", { response }));
    void sse(res, frames);
  };

  const messages = (res: http.ServerResponse, body: Record<string, unknown>) => {
    const content: unknown[] = [];
    if (text()) content.push({ type: "text", text: text() });
    fake.script.toolCalls.forEach((t, i) =>
      content.push({
        type: "tool_use",
        id: `toolu_${i}`,
        name: t.name,
        input: JSON.parse(t.arguments) as unknown,
      }),
    );
    const message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: body.model,
      content,
      stop_reason: fake.script.toolCalls.length ? "tool_use" : "end_turn",
      stop_sequence: null,
      usage: ANTHROPIC_USAGE,
    };
    if (body.stream !== true) {
      json(res, message);
      return;
    }
    const frame = (type: string, data: Record<string, unknown>, contentFrame = false) => ({
      event: type,
      data: { type, ...data },
      content: contentFrame,
    });
    const { output_tokens: _unused, ...startUsage } = ANTHROPIC_USAGE;
    const frames = [
      frame("message_start", {
        message: { ...message, content: [], stop_reason: null, usage: { ...startUsage, output_tokens: 1 } },
      }),
    ];
    let index = 0;
    if (text()) {
      frames.push(frame("content_block_start", { index, content_block: { type: "text", text: "" } }));
      for (const piece of fake.script.pieces) {
        frames.push(
          frame("content_block_delta", { index, delta: { type: "text_delta", text: piece } }, true),
        );
      }
      frames.push(frame("content_block_stop", { index }));
      index++;
    }
    fake.script.toolCalls.forEach((t, i) => {
      frames.push(
        frame("content_block_start", {
          index,
          content_block: { type: "tool_use", id: `toolu_${i}`, name: t.name, input: {} },
        }),
        frame(
          "content_block_delta",
          { index, delta: { type: "input_json_delta", partial_json: t.arguments } },
          true,
        ),
        frame("content_block_stop", { index }),
      );
      index++;
    });
    frames.push(
      frame("message_delta", {
        delta: { stop_reason: message.stop_reason, stop_sequence: null },
        usage: { output_tokens: ANTHROPIC_USAGE.output_tokens },
      }),
      frame("message_stop", {}),
    );
    void sse(res, frames);
  };

  const json = (res: http.ServerResponse, data: unknown, status = 200) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(data));
  };

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      const path = (req.url ?? "").split("?")[0] ?? "";
      fake.requests.push({ path, body });
      const { failStatus } = fake.script;
      if (failStatus !== undefined) {
        const error = path.startsWith("/v1/messages")
          ? { type: "error", error: { type: "invalid_request_error", message: "scripted failure" } }
          : {
              error: { message: "scripted failure", type: "invalid_request_error", code: null, param: null },
            };
        json(res, error, failStatus);
        return;
      }
      if (path === "/v1/chat/completions") chat(res, body);
      else if (path === "/v1/responses") responses(res, body);
      else if (path === "/v1/messages") messages(res, body);
      else json(res, { error: { message: `no route ${path}` } }, 404);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  fake.openaiBaseUrl = `http://127.0.0.1:${port}/v1`;
  fake.anthropicBaseUrl = `http://127.0.0.1:${port}`;
  return fake;
}
