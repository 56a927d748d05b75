// A fake OpenAI (and Anthropic messages) API on a real HTTP server, so tests drive the real `openai` and
// `@anthropic-ai/sdk` clients and get their real completion, message and `Stream` objects.

import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface FakeProvider {
  /** For `new OpenAI({ baseURL })`. */
  openaiBaseUrl: string;
  /** For `new Anthropic({ baseURL })`. */
  anthropicBaseUrl: string;
  /** The reply text, streamed in these pieces. */
  pieces: string[];
  /** When set, the JSON completion answers these tool calls with `content: null`. */
  toolCalls?: Array<{ name: string; arguments: string }>;
  /** Streams stop after this many content chunks by destroying the connection. */
  breakAfterChunks?: number;
  /** Milliseconds between stream chunks. */
  chunkDelayMs: number;
  requests: Array<{ path: string; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

const USAGE = { prompt_tokens: 31, completion_tokens: 7, total_tokens: 38 };

export async function startFakeProvider(): Promise<FakeProvider> {
  const sockets = new Set<Socket>();
  const fake: FakeProvider = {
    openaiBaseUrl: "",
    anthropicBaseUrl: "",
    pieces: ["It's ", "Paris ", "of course."],
    chunkDelayMs: 0,
    requests: [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const chatJson = (body: Record<string, unknown>) => {
    const message = fake.toolCalls
      ? {
          role: "assistant",
          content: null,
          tool_calls: fake.toolCalls.map((t, i) => ({
            id: `call_${i}`,
            type: "function",
            function: { name: t.name, arguments: t.arguments },
          })),
        }
      : { role: "assistant", content: fake.pieces.join("") };
    return {
      id: "chatcmpl-fake",
      object: "chat.completion",
      created: 1_700_000_000,
      model: `${String(body.model)}-0125`,
      choices: [{ index: 0, message, finish_reason: fake.toolCalls ? "tool_calls" : "stop", logprobs: null }],
      usage: USAGE,
    };
  };

  const chatStream = async (res: http.ServerResponse, body: Record<string, unknown>) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const base = {
      id: "chatcmpl-fake",
      object: "chat.completion.chunk",
      created: 1_700_000_000,
      model: body.model,
    };
    const write = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    write({
      ...base,
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
    });
    let sent = 0;
    for (const piece of fake.pieces) {
      if (fake.breakAfterChunks !== undefined && sent >= fake.breakAfterChunks) {
        // Let the chunks written so far reach the client, then cut the connection mid-stream.
        await sleep(50);
        res.socket?.destroy();
        return;
      }
      if (fake.chunkDelayMs > 0) await sleep(fake.chunkDelayMs);
      if (res.destroyed) return;
      write({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
      sent++;
    }
    write({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
    write({ ...base, choices: [], usage: USAGE });
    res.end("data: [DONE]\n\n");
  };

  const anthropicJson = (body: Record<string, unknown>) => ({
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model: body.model,
    content: [{ type: "text", text: fake.pieces.join("") }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 5 },
  });

  const anthropicStream = (res: http.ServerResponse, body: Record<string, unknown>) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const write = (event: string, data: unknown) =>
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    write("message_start", {
      type: "message_start",
      message: { ...anthropicJson(body), content: [], usage: { input_tokens: 12, output_tokens: 1 } },
    });
    write("content_block_start", {
      type: "content_block_start",
      index: 0,
      content_block: { type: "text", text: "" },
    });
    for (const piece of fake.pieces) {
      write("content_block_delta", {
        type: "content_block_delta",
        index: 0,
        delta: { type: "text_delta", text: piece },
      });
    }
    write("content_block_stop", { type: "content_block_stop", index: 0 });
    write("message_delta", {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 5 },
    });
    write("message_stop", { type: "message_stop" });
    res.end();
  };

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      const path = (req.url ?? "").split("?")[0] ?? "";
      fake.requests.push({ path, body });
      const json = (data: unknown) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(data));
      };
      if (path === "/v1/chat/completions") {
        if (body.stream === true) void chatStream(res, body);
        else json(chatJson(body));
      } else if (path === "/v1/messages") {
        if (body.stream === true) anthropicStream(res, body);
        else json(anthropicJson(body));
      } else {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `no route ${path}` } }));
      }
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
