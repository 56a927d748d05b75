/**
 * One chat completion against an OpenAI-compatible endpoint, with plain `fetch`: temperature 0, a few tokens, and
 * `logprobs` with `top_logprobs` so that a confidence can be derived when the endpoint gives them. Failures map to
 * `JobError`s: 408/409/429/5xx and network errors are retried (a 429's Retry-After honoured), other 4xx are not.
 * No message ever includes the key or the request headers.
 */
import { JobError } from "../../jobs/index.js";
import type { ModelEndpoint } from "../endpoint.js";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface TopLogprob {
  token: string;
  logprob: number;
}

export interface Completion {
  text: string;
  /** The alternatives for the answer's first token, when the endpoint gives them. */
  topLogprobs: TopLogprob[] | null;
}

/** Per request, in ms. */
export const REQUEST_TIMEOUT_MS = 60_000;

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function completionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/chat/completions`;
}

interface RawResponse {
  choices?: Array<{
    message?: { content?: string | null };
    logprobs?: { content?: Array<{ top_logprobs?: TopLogprob[] }> | null } | null;
  }>;
}

export async function complete(
  endpoint: ModelEndpoint,
  messages: ChatMessage[],
  maxTokens: number,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<Completion> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  let response: Response;
  try {
    response = await fetch(completionsUrl(endpoint.baseUrl), {
      method: "POST",
      headers,
      body: JSON.stringify({
        model: endpoint.model,
        messages,
        temperature: 0,
        max_tokens: maxTokens,
        logprobs: true,
        top_logprobs: 5,
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason =
      (error as Error).name === "TimeoutError" ? `no answer in ${timeoutMs} ms` : (error as Error).message;
    throw new JobError(`model endpoint unreachable: ${reason}`, true);
  }
  if (!response.ok) {
    // The endpoint's own words, but never the key, should it echo the request back.
    let body = (await response.text().catch(() => "")).slice(0, 300).replace(/\s+/g, " ");
    if (endpoint.apiKey) body = body.split(endpoint.apiKey).join("***");
    const retryable = [408, 409, 429].includes(response.status) || response.status >= 500;
    throw new JobError(
      `model endpoint answered ${response.status}${body ? `: ${body}` : ""}`,
      retryable,
      retryAfterMs(response.headers.get("retry-after")),
    );
  }
  let raw: RawResponse;
  try {
    raw = (await response.json()) as RawResponse;
  } catch {
    throw new JobError("model endpoint answered with a body that is not JSON", true);
  }
  const choice = raw.choices?.[0];
  const text = choice?.message?.content;
  if (typeof text !== "string")
    throw new JobError("model endpoint answered without choices[0].message.content", true);
  const top = choice?.logprobs?.content?.[0]?.top_logprobs;
  return { text, topLogprobs: Array.isArray(top) && top.length > 0 ? top : null };
}
