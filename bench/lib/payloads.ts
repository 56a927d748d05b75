/**
 * The content every client logs in the hot-path and end-to-end benchmarks: the same strings, the same OpenAI
 * completion, the same 50-chunk stream, so that a comparison compares clients and not payloads.
 */

export const QUESTION = "What's the capital of Fashion? Answer in one short sentence, with a frog noise.";
export const ANSWER =
  "It's Paris of course, ribbit. The city has set the tone for fashion for centuries, croak.";
export const SYSTEM_PROMPT =
  "You are an helpful frog who gives life advice to people. You say *ribbit* at the end of each sentence.";

export function openaiQuery(stream = false) {
  return {
    model: "gpt-4o-mini",
    temperature: 0,
    seed: 123,
    messages: [
      { role: "system", content: SYSTEM_PROMPT },
      { role: "user", content: QUESTION },
    ],
    stream,
  };
}

/** A chat completion shaped exactly like the `openai` package returns it. */
export function openaiCompletion(i = 0) {
  return {
    id: `chatcmpl-bench${i}`,
    object: "chat.completion",
    created: 1_732_000_000,
    model: "gpt-4o-mini-2024-07-18",
    system_fingerprint: "fp_bench",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: ANSWER, refusal: null },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: { prompt_tokens: 42, completion_tokens: 21, total_tokens: 63 },
  };
}

export const STREAM_CHUNKS = 50;

/** One streamed chat completion chunk, as the `openai` package yields them. */
function chunk(i: number, content: string | null, last: boolean) {
  return {
    id: "chatcmpl-bench-stream",
    object: "chat.completion.chunk",
    created: 1_732_000_000,
    model: "gpt-4o-mini-2024-07-18",
    choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: last ? "stop" : null }],
    usage: last ? { prompt_tokens: 42, completion_tokens: 49, total_tokens: 91 } : null,
    ...(i === 0 ? { system_fingerprint: "fp_bench" } : {}),
  };
}

/** The 50 chunks, prebuilt so generating them is not part of any client's cost. */
export const STREAM_PARTS = Array.from({ length: STREAM_CHUNKS }, (_, i) =>
  chunk(i, i === STREAM_CHUNKS - 1 ? null : `tok${i} `, i === STREAM_CHUNKS - 1),
);

/** A fresh async-iterable stream object per call, like `openai`'s `Stream` (single-use, iterable once). */
export class FakeStream<T> implements AsyncIterable<T> {
  readonly controller = new AbortController();
  constructor(private readonly parts: readonly T[]) {}
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (const p of this.parts) yield p;
  }
}

export function concatStream(parts: typeof STREAM_PARTS): string {
  let out = "";
  for (const p of parts) out += p.choices[0]?.delta.content ?? "";
  return out;
}
