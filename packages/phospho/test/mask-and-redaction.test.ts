// `mask` reaches every text before it is queued, and the API key never appears in what the SDK prints, even
// when a server echoes it back or cuts it at the edge of the excerpt that goes into the message.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { sendUserFeedback } from "../src/node.js";
import { testClient } from "./helpers/client.js";
import { useCollector } from "./helpers/servers.js";

const setup = useCollector();
const MARK = "MARKER-7f3a";

async function* chunks(): AsyncGenerator<unknown> {
  yield { model: `gpt-${MARK}`, choices: [{ delta: { content: `streamed ${MARK} ` } }] };
  yield { choices: [{ delta: { content: "end" } }] };
}

describe("mask", () => {
  it("is applied to every text: the marker is nowhere in what the collector received", async () => {
    const { client } = testClient(setup.collector, {
      mask: (text) => text.split(MARK).join("***"),
      versionId: `v-${MARK}`,
      environment: `env-${MARK}`,
    });
    const common = {
      sessionId: `session-${MARK}`,
      userId: `user-${MARK}`,
      metadata: { [`key-${MARK}`]: `value-${MARK}`, nested: { [MARK]: [MARK] } },
      [`extra-${MARK}`]: MARK,
    };
    const logged = await client.log({
      ...common,
      input: {
        model: "m",
        messages: [
          { role: "system", content: `sys ${MARK}` },
          { role: "user", content: MARK },
        ],
      },
      output: { choices: [{ message: { content: `answer ${MARK}` } }], usage: { [MARK]: 1 } },
    });
    const stream = chunks();
    const streamed = await client.log({ ...common, input: `q ${MARK}`, output: stream, stream: true });
    for await (const chunk of stream) void chunk;
    await client.log({ ...common, input: "raw", output: "x", rawInput: { [MARK]: MARK }, rawOutput: [MARK] });
    await client.userFeedback({
      taskId: logged.task_id,
      flag: "success",
      notes: `note ${MARK}`,
      source: MARK,
    });
    await client.userFeedback({ taskId: streamed.task_id, notes: `only a note ${MARK}` });
    expect(await client.flush(5000)).toBe(true);
    const received = JSON.stringify(setup.collector.requests);
    expect(setup.collector.events.length).toBeGreaterThanOrEqual(3);
    expect(setup.collector.feedback).toHaveLength(2);
    expect(received).toContain("***");
    expect(received).not.toContain(MARK);
    expect(JSON.stringify(logged)).not.toContain(MARK);
    await client.shutdown(100);
  });
});

describe("the API key in messages", () => {
  const KEY = "phk_live_0123456789abcdefSECRET";

  async function echoServer(body: string): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(400, { "content-type": "text/plain" });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }

  it("sendUserFeedback never prints the key, echoed whole or cut at the edge of the 300-character excerpt", async () => {
    const bodies = [
      `{"detail":"bad key ${KEY}"}`,
      // The excerpt ends inside the key: its first 12 characters are at positions 288-299.
      `${"x".repeat(288)}${KEY}`,
      `${"y".repeat(300 - 5)}${KEY}`,
    ];
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      for (const body of bodies) {
        const server = await echoServer(body);
        const result = await sendUserFeedback({
          projectId: "p",
          taskId: "t",
          flag: "success",
          apiKey: KEY,
          baseUrl: server.url,
        });
        expect(result).toBeUndefined();
        await server.close();
      }
      const printed = warn.mock.calls.map((call) => call.map(String).join(" ")).join("\n");
      expect(warn).toHaveBeenCalledTimes(3);
      expect(printed).toContain("HTTP 400");
      expect(printed).toContain("[redacted]");
      for (let n = 5; n <= KEY.length; n++) expect(printed).not.toContain(KEY.slice(0, n));
    } finally {
      warn.mockRestore();
    }
  });

  it("a log reply that echoes the key does not leak it through onError either", async () => {
    const server = await echoServer(`${"z".repeat(290)}${KEY}`);
    const { client, errors } = testClient(setup.collector, {
      apiKey: KEY,
      baseUrl: server.url,
      maxRetries: 0,
    });
    await client.log({ input: "x" });
    await client.flush(5000);
    expect(errors.length).toBeGreaterThan(0);
    const text = errors.map((e) => `${e.message} ${e.stack ?? ""}`).join("\n");
    for (let n = 5; n <= KEY.length; n++) expect(text).not.toContain(KEY.slice(0, n));
    await client.shutdown(100);
    await server.close();
  });
});
