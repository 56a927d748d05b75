// Cost of one `log()` call on the caller's thread (extraction + JSON-safe copy + enqueue; no network).
// Usage: npm run build -w packages/phospho && node packages/phospho/scripts/hot-path.mjs
import { Phospho } from "../dist/index.js";

const client = new Phospho({
  apiKey: "k",
  projectId: "p",
  baseUrl: "http://127.0.0.1:9/v2",
  flushIntervalMs: 1e9,
  batchSize: 1e6,
  maxQueueEvents: 1e6,
  maxQueueBytes: 1e10,
  onError: () => {},
});
const query = {
  model: "gpt-4o",
  messages: [
    { role: "system", content: "be brief" },
    { role: "user", content: "What's the capital of Fashion?" },
  ],
};
const completion = {
  id: "chatcmpl-1",
  model: "gpt-4o",
  choices: [
    { index: 0, message: { role: "assistant", content: "It's Paris of course." }, finish_reason: "stop" },
  ],
  usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
};
const cases = [
  ["strings", { input: "What's the capital of Fashion?", output: "It's Paris of course." }],
  ["OpenAI query + completion", { input: query, output: completion }],
];
const n = 100_000;
for (const [name, params] of cases) {
  for (let i = 0; i < 1000; i++) client.log(params); // warm-up
  const start = performance.now();
  for (let i = 0; i < n; i++) client.log(params);
  const us = ((performance.now() - start) * 1000) / n;
  console.log(`${name}: ${us.toFixed(2)} µs per log() call (${n} calls)`);
}
process.exit(0);
