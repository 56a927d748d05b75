/**
 * The SDK side of the end-to-end benchmark, alone in its process: logs `--n` OpenAI completions into a running
 * collector, waits for `flush()` (the collector acknowledges only after commit), then reads the last task back
 * through the v2 read API. Prints `{ ms, stats }`.
 */
import { setImmediate as tick } from "node:timers/promises";
import { parseArgs } from "node:util";
import { loadSdk, readStats } from "../../lib/sdk.js";
import { openaiCompletion, openaiQuery } from "../../lib/payloads.js";

const { values } = parseArgs({
  options: {
    "base-url": { type: "string" },
    project: { type: "string" },
    key: { type: "string" },
    n: { type: "string", default: "10000" },
    batch: { type: "string", default: "50" },
  },
});
const n = Number(values.n);
const { Phospho } = await loadSdk();
const phospho = new Phospho();
phospho.init({
  apiKey: values.key,
  projectId: values.project,
  baseUrl: values["base-url"],
  batchSize: Number(values.batch),
  // Room for the whole run: this measures throughput, not the queue bound.
  maxQueueEvents: n + 1_000,
  maxQueueBytes: 2_000_000_000,
  onError: (e: Error) => process.stderr.write(`${e.message}\n`),
});
const query = openaiQuery(false);
const completion = openaiCompletion();

const t0 = performance.now();
let last: unknown;
for (let i = 0; i < n; i++) {
  last = phospho.log({ input: query, output: completion, userId: `user_${i % 500}`, versionId: "v1" });
  if (i % 500 === 499) await tick();
}
const delivered = await phospho.flush(300_000);
const lastTask = (await last) as { task_id?: string } | undefined;
const res = await fetch(`${values["base-url"]}/tasks/${lastTask?.task_id}`, {
  headers: { authorization: `Bearer ${values.key}` },
});
const ms = performance.now() - t0;
if (!delivered || !res.ok) throw new Error(`not delivered (flush ${delivered}, read ${res.status})`);
const stats = readStats(phospho);
await phospho.shutdown(1_000);
process.stdout.write(`${JSON.stringify({ ms, stats })}\n`);
process.exit(0);
