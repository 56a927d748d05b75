/** A minimal OpenAI-compatible endpoint for the bench: answers "yes"/"no" after a fixed delay, like a small model. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export async function startFakeEndpoint(
  delayMs: number,
): Promise<{ baseUrl: string; requests: () => number; close(): Promise<void> }> {
  let count = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      count += 1;
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        messages: Array<{ content: string }>;
      };
      const answer = /angry/i.test(body.messages.at(-1)?.content ?? "") ? "yes" : "no";
      setTimeout(() => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: answer } }] }));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
