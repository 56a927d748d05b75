// What `wrapOpenAI` costs an app, measured two ways (figures, not pass/fail):
//  1. Wall time: the same `openai` calls against a local fake provider over HTTP, unwrapped and wrapped, in
//     alternating blocks; the fake provider and the collector run in a child process. Reported as the median
//     of the per-round ratios, which a busy machine disturbs less than a mean. Delivery to the collector runs
//     in the background as in an app (the queue is flushed between blocks, outside the timing); `--delay-ms`
//     makes the provider wait before answering, as a real one does.
//  2. CPU per call on the app's thread: the same calls with the SDK's `fetch` option answering canned bodies
//     (no network noise), unwrapped, wrapped into a no-op `log` (the wrapper's own observation), and wrapped
//     into a real `Phospho` client whose `fetch` acknowledges every batch (observation + `log()` + delivery).
// Usage: npm run build -w packages/phospho && node packages/phospho/scripts/wrap-overhead.mjs [--json]
//        [--delay-ms 0] [--rounds 40] [--block 20] [--cpu-calls 3000] [--cpu-only]

import { spawn } from "node:child_process";
import http from "node:http";
import { fileURLToPath } from "node:url";

const REPLY = "Paris is the capital of France. ".repeat(12).trim();
const USAGE = {
  prompt_tokens: 420,
  completion_tokens: 96,
  total_tokens: 516,
  prompt_tokens_details: { cached_tokens: 256 },
  completion_tokens_details: { reasoning_tokens: 0 },
};
const QUERY = {
  model: "gpt-4o",
  messages: [
    { role: "system", content: "You are a helpful geography assistant. ".repeat(20) },
    { role: "user", content: "What is the capital of France, and why?" },
  ],
};

function replyBody(model, stream) {
  const base = { id: "chatcmpl-1", created: 1_700_000_000, model: `${model}-2024` };
  if (!stream) {
    return JSON.stringify({
      ...base,
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: REPLY }, finish_reason: "stop" }],
      usage: USAGE,
    });
  }
  const chunk = (delta, finish = null) =>
    `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  let out = chunk({ role: "assistant", content: "" });
  for (const piece of REPLY.match(/.{1,16}/g)) out += chunk({ content: piece });
  out += chunk({}, "stop");
  out += `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [], usage: USAGE })}\n\n`;
  return `${out}data: [DONE]\n\n`;
}

function ack(body) {
  return JSON.stringify({ logged_events: body.batched_log_events.map((e) => ({ task_id: e.task_id })) });
}

/** The child: a fake OpenAI chat endpoint (JSON and SSE) and a collector that acknowledges every event. */
function serve() {
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const body = raw ? JSON.parse(raw) : {};
      if (req.url.startsWith("/v2/log/")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(ack(body));
        return;
      }
      setTimeout(() => {
        res.writeHead(200, { "content-type": body.stream ? "text/event-stream" : "application/json" });
        res.end(replyBody(body.model, body.stream === true));
      }, DELAY_MS);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: server.address().port })));
}

function arg(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const DELAY_MS = arg("delay-ms", 0);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const CALLS = {
  json: (client) => client.chat.completions.create(QUERY),
  stream: async (client) => {
    const stream = await client.chat.completions.create({
      ...QUERY,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) void chunk;
  },
};

/**
 * Runs `block` calls per mode per round, modes in alternating order; returns per-round µs per call. `after`
 * runs inside the measured region (CPU), `between` outside it (wall).
 */
async function rounds(clients, call, { rounds, block, after, between }) {
  const modes = Object.keys(clients);
  for (let i = 0; i < 100 * modes.length; i++) await call(clients[modes[i % modes.length]]); // warm-up
  const out = Object.fromEntries(modes.map((m) => [m, { wallUs: [], cpuUs: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (const mode of round % 2 ? modes : [...modes].reverse()) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < block; i++) await call(clients[mode]);
      await after?.(mode);
      const used = process.cpuUsage(cpu);
      out[mode].wallUs.push(((performance.now() - start) * 1000) / block);
      out[mode].cpuUs.push((used.user + used.system) / block);
      await between?.();
    }
  }
  return out;
}

async function wallTime(OpenAI, Phospho, wrapOpenAI) {
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), "--serve", "--delay-ms", String(DELAY_MS)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    const port = await new Promise((resolve) =>
      child.stdout.once("data", (d) => resolve(JSON.parse(d).port)),
    );
    const phospho = new Phospho({ apiKey: "k", projectId: "bench", baseUrl: `http://127.0.0.1:${port}/v2` });
    const baseURL = `http://127.0.0.1:${port}/v1`;
    const clients = {
      plain: new OpenAI({ apiKey: "sk-bench", baseURL, maxRetries: 0 }),
      wrapped: wrapOpenAI(new OpenAI({ apiKey: "sk-bench", baseURL, maxRetries: 0 }), { phospho }),
    };
    const result = {};
    for (const [kind, call] of Object.entries(CALLS)) {
      const r = await rounds(clients, call, {
        rounds: arg("rounds", 40),
        block: arg("block", 20),
        between: () => phospho.flush(5000),
      });
      const ratios = r.plain.wallUs.map((p, i) => r.wrapped.wallUs[i] / p);
      result[kind] = {
        plainUs: median(r.plain.wallUs),
        wrappedUs: median(r.wrapped.wallUs),
        overheadPct: (median(ratios) - 1) * 100,
      };
    }
    const stats = phospho.stats();
    await phospho.shutdown(5000);
    return { result, sent: stats.sent, dropped: stats.droppedTotal };
  } finally {
    child.kill();
  }
}

async function cpuPerCall(OpenAI, Phospho, wrapOpenAI) {
  const provider = async (_url, init) => {
    const body = JSON.parse(init.body);
    const type = body.stream ? "text/event-stream" : "application/json";
    return new Response(replyBody(body.model, body.stream === true), { headers: { "content-type": type } });
  };
  // One empty reply per event, counted without parsing the batch: the collector's own work is not the app's.
  const collector = async (_url, init) => {
    const count = init.body.split('"task_id":').length - 1;
    const body = `{"logged_events":[${new Array(count).fill("{}").join(",")}]}`;
    return new Response(body, { headers: { "content-type": "application/json" } });
  };
  const phospho = new Phospho({
    apiKey: "k",
    projectId: "bench",
    baseUrl: "http://collector/v2",
    fetch: collector,
  });
  const openai = () =>
    new OpenAI({ apiKey: "sk-bench", baseURL: "http://provider/v1", fetch: provider, maxRetries: 0 });
  const clients = {
    plain: openai(),
    observing: wrapOpenAI(openai(), { phospho: { log: () => undefined } }),
    wrapped: wrapOpenAI(openai(), { phospho }),
  };
  const block = 100;
  const result = {};
  for (const [kind, call] of Object.entries(CALLS)) {
    const r = await rounds(clients, call, {
      rounds: Math.ceil(arg("cpu-calls", 3000) / block),
      block,
      after: (mode) => (mode === "wrapped" ? phospho.flush(5000) : undefined),
    });
    const diff = (mode) => median(r[mode].cpuUs.map((c, i) => c - r.plain.cpuUs[i]));
    result[kind] = {
      plainUs: median(r.plain.cpuUs),
      observeUs: diff("observing"),
      wrappedUs: diff("wrapped"),
    };
  }
  await phospho.shutdown(5000);
  return result;
}

if (process.argv.includes("--serve")) {
  serve();
} else {
  const { default: OpenAI } = await import("openai");
  const { Phospho } = await import("../dist/index.js");
  const { wrapOpenAI } = await import("../dist/integrations/openai/index.js");
  const wall = process.argv.includes("--cpu-only")
    ? { result: {}, sent: 0, dropped: 0 }
    : await wallTime(OpenAI, Phospho, wrapOpenAI);
  const cpu = await cpuPerCall(OpenAI, Phospho, wrapOpenAI);
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ wall: wall.result, cpu }));
  } else {
    for (const [kind, r] of Object.entries(wall.result)) {
      console.log(
        `wall, ${kind}, provider delay ${DELAY_MS} ms: ${r.plainUs.toFixed(0)} → ${r.wrappedUs.toFixed(0)} µs/call, ` +
          `median overhead ${r.overheadPct >= 0 ? "+" : ""}${r.overheadPct.toFixed(1)} %`,
      );
    }
    console.log(`  (events sent to the collector: ${wall.sent}, dropped: ${wall.dropped})`);
    for (const [kind, r] of Object.entries(cpu)) {
      console.log(
        `cpu, ${kind}: unwrapped ${r.plainUs.toFixed(1)} µs/call; wrapper's observation +${r.observeUs.toFixed(1)} µs; ` +
          `with log() and delivery +${r.wrappedUs.toFixed(1)} µs`,
      );
    }
  }
}
