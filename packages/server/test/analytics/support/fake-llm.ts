/**
 * A fake OpenAI-compatible endpoint on 127.0.0.1 (port 0) for the LLM detectors: `POST /v1/chat/completions`
 * answers tagger (yes/no), scorer (1–5) and classifier prompts from the text it is given, with or without
 * logprobs, slowly, with a 429 once per text, or with 500 always (echoing the request's Authorization header,
 * as a careless proxy would, so that the tests can check the key never reaches a log line).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeMode = "logprobs" | "plain" | "slow" | "429-once" | "500";

export interface FakeRequest {
  authorization: string | undefined;
  body: {
    model: string;
    temperature: number;
    max_tokens: number;
    logprobs: boolean;
    top_logprobs: number;
    messages: Array<{ role: string; content: string }>;
  };
}

export interface FakeLlm {
  baseUrl: string;
  mode: FakeMode;
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** The answer a deterministic "model" gives for a prompt. */
export function answerFor(system: string, text: string): string {
  const angry = /angry|furious|awful/i.test(text);
  if (system.includes("success or failure")) return angry ? "failure" : "success";
  if (system.includes("one number")) return angry ? "2" : "4";
  if (system.includes("exactly one of")) return angry ? "complaint" : "question";
  return angry ? "yes" : "no";
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeLlm(mode: FakeMode = "logprobs"): Promise<FakeLlm> {
  const seen = new Set<string>();
  const fake: FakeLlm = { baseUrl: "", mode, requests: [], close: async () => {} };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = JSON.parse(await readBody(request)) as FakeRequest["body"];
      fake.requests.push({ authorization: request.headers.authorization, body });
      const system = body.messages[0]?.content ?? "";
      const text = body.messages.at(-1)?.content ?? "";
      if (fake.mode === "500") {
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: `upstream failed for ${request.headers.authorization}` }));
        return;
      }
      if (fake.mode === "429-once" && !seen.has(text)) {
        seen.add(text);
        response.writeHead(429, { "content-type": "application/json", "retry-after": "0" });
        response.end(JSON.stringify({ error: "rate limited" }));
        return;
      }
      if (fake.mode === "slow") await new Promise((resolve) => setTimeout(resolve, 200));
      const answer = answerFor(system, text);
      const other =
        answer === "yes"
          ? "no"
          : answer === "no"
            ? "yes"
            : answer === "2"
              ? "3"
              : answer === "4"
                ? "5"
                : "other";
      const logprobs =
        fake.mode === "logprobs"
          ? {
              content: [
                {
                  token: answer,
                  logprob: Math.log(0.9),
                  top_logprobs: [
                    { token: answer, logprob: Math.log(0.9) },
                    { token: other, logprob: Math.log(0.1) },
                  ],
                },
              ],
            }
          : null;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          id: "chatcmpl-fake",
          object: "chat.completion",
          model: body.model,
          choices: [
            { index: 0, message: { role: "assistant", content: answer }, logprobs, finish_reason: "stop" },
          ],
        }),
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
