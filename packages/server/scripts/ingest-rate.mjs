// Measures the ingest rate of the built collector: batches of 100 events, each with a new task id, posted by
// autocannon with 16 connections for 20 s against `node dist/cli.js` on a fresh SQLite file.
//   node packages/server/scripts/ingest-rate.mjs [--seconds 20] [--connections 16] [--batch 100]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    connections: { type: "string", default: "16" },
    batch: { type: "string", default: "100" },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const batch = Number(values.batch);

const cli = resolve(dirname(fileURLToPath(import.meta.url)), "../dist/cli.js");
const dir = mkdtempSync(join(tmpdir(), "phospho-rate-"));
const project = "bench";
const key = "phk_bench_key_0123456789abcdef0123456789";
const child = spawn(process.execPath, [cli, "--port", "0", "--db", join(dir, "bench.db")], {
  env: { ...process.env, PHOSPHO_PROJECT_ID: project, PHOSPHO_API_KEY: key },
  stdio: ["ignore", "pipe", "inherit"],
});
const origin = await new Promise((done, fail) => {
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
    const match = /listening on (http:\/\/\S+)/.exec(out);
    if (match) done(match[1]);
  });
  child.on("exit", (code) => fail(new Error(`server exited with ${code}`)));
});

let sequence = 0;
const text = "The quick brown fox jumps over the lazy dog. ".repeat(4);
function body() {
  const events = [];
  for (let i = 0; i < batch; i++) {
    const n = sequence++;
    events.push({
      task_id: `bench-${n}`,
      session_id: `session-${Math.floor(n / 10)}`,
      input: `question ${n}: ${text}`,
      output: `answer ${n}: ${text}`,
      client_created_at: Math.floor(Date.now() / 1000),
      metadata: { model: "gpt-4o-mini", user_id: `user-${n % 50}` },
      prompt_tokens: 40,
      completion_tokens: 60,
    });
  }
  return JSON.stringify({ batched_log_events: events });
}

const result = await autocannon({
  url: `${origin}/v2/log/${project}`,
  method: "POST",
  connections,
  duration: seconds,
  headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
});

const ok = result["2xx"];
const rate = (ok * batch) / seconds;
console.log(
  JSON.stringify(
    {
      batch,
      connections,
      seconds,
      requests_2xx: ok,
      non_2xx: result.non2xx,
      errors: result.errors,
      events_per_second: Math.round(rate),
      latency_ms: { p50: result.latency.p50, p99: result.latency.p99 },
    },
    null,
    2,
  ),
);
child.kill("SIGTERM");
await new Promise((done) => child.on("exit", done));
rmSync(dir, { recursive: true, force: true });
