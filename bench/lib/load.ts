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
  const result = await autocannon({
    url: `${opts.origin}/v2/log/${opts.projectId}`,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${opts.apiKey}` },
    body,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 30,
  });
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const ok = result["2xx"];
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    eventsPerSec: (ok * opts.batch) / seconds,
    requestsPerSec: ok / seconds,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    failed,
  };
}
