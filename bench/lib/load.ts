/** autocannon posting `/v2/log` batches at a collector: events per second and request latency. */
import autocannon from "autocannon";
import { ANSWER, QUESTION, SYSTEM_PROMPT, openaiCompletion, openaiQuery } from "./payloads.js";

/** One event as the SDK sends it, without `task_id` so that every request stores new tasks. */
export function wireEvent(i: number): Record<string, unknown> {
  return {
    input: QUESTION,
    output: ANSWER,
    raw_input: openaiQuery(false),
    raw_output: openaiCompletion(i),
    raw_input_type_name: "object",
    raw_output_type_name: "object",
    client_created_at: Math.floor(Date.now() / 1000),
    model: "gpt-4o-mini-2024-07-18",
    system_prompt: SYSTEM_PROMPT,
    prompt_tokens: 42,
    completion_tokens: 21,
    total_tokens: 63,
    user_id: `user_${i % 500}`,
    version_id: "v1",
  };
}

export interface LoadResult {
  eventsPerSec: number;
  requestsPerSec: number;
  p50ms: number;
  p99ms: number;
  failed: number;
  /** What the failures were: `HTTP 503`, `timeout`, `socket ECONNRESET`, ... with their counts. */
  failures: Record<string, number>;
  /** The first reply's `detail` of each failing status, so a table can say why. */
  details: Record<string, string>;
}

/** Adds one run's failures into a running total (for a table row over repeated runs). */
export function addFailures(into: LoadResult["failures"], from: LoadResult["failures"]): void {
  for (const [kind, count] of Object.entries(from)) into[kind] = (into[kind] ?? 0) + count;
}

/** `503×40 (The store is unavailable…), 500×7`: what a row's failed requests were, most frequent first. */
export function describeFailures(runs: LoadResult[]): string {
  const counts: Record<string, number> = {};
  const details: Record<string, string> = {};
  for (const run of runs) {
    addFailures(counts, run.failures);
    for (const [kind, detail] of Object.entries(run.details)) details[kind] ??= detail;
  }
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, count]) => `${kind} ×${count}${details[kind] ? ` ("${details[kind]}")` : ""}`)
    .join(", ");
}

export async function postLoad(opts: {
  origin: string;
  projectId: string;
  apiKey: string;
  batch: number;
  connections: number;
  seconds: number;
}): Promise<LoadResult> {
  const body = JSON.stringify({
    batched_log_events: Array.from({ length: opts.batch }, (_, i) => wireEvent(i)),
  });
  const details: Record<string, string> = {};
  const socketErrors: Record<string, number> = {};
  const result = await autocannon({
    url: `${opts.origin}/v2/log/${opts.projectId}`,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${opts.apiKey}` },
    body,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 30,
    requests: [
      {
        onResponse(status, reply) {
          const kind = `HTTP ${status}`;
          if (status >= 300 && details[kind] === undefined) details[kind] = detailOf(reply);
        },
      },
    ],
    setupClient(client) {
      client.on("error", (error: Error & { code?: string }) => {
        const kind = `socket ${error.code ?? error.message}`;
        socketErrors[kind] = (socketErrors[kind] ?? 0) + 1;
      });
    },
  });
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const ok = result["2xx"];
  // autocannon counts a timeout in `errors` as well as in `timeouts`.
  const failed = result.non2xx + result.errors;
  const failures: Record<string, number> = { ...socketErrors };
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    if (!status.startsWith("2")) failures[`HTTP ${status}`] = count;
  }
  if (result.timeouts > 0) failures.timeout = result.timeouts;
  return {
    eventsPerSec: (ok * opts.batch) / seconds,
    requestsPerSec: ok / seconds,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    failed,
    failures,
    details,
  };
}

/** The collector's `{"detail": "..."}` sentence, shortened for a table note. */
function detailOf(reply: string): string {
  let detail = reply;
  try {
    const parsed = JSON.parse(reply) as { detail?: unknown };
    if (typeof parsed.detail === "string") detail = parsed.detail;
  } catch {
    // not JSON: keep the text
  }
  return detail.length > 160 ? `${detail.slice(0, 157)}...` : detail;
}
