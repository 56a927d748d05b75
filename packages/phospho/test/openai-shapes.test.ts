// More OpenAI shapes through the real client: tool calls with null content, content-part arrays, and
// streamed tool calls; plus logging before init.

import type OpenAI from "openai";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { Phospho } from "../src/node.js";
import { testClient } from "./helpers/client.js";
import { useCollectorAndProvider } from "./helpers/servers.js";

const setup = useCollectorAndProvider();

beforeEach(() => {
  delete setup.fake.toolCalls;
});

describe("OpenAI shapes", () => {
  it("logs the tool calls when the completion's content is null", async () => {
    setup.fake.toolCalls = [{ name: "get_weather", arguments: '{"city":"Paris"}' }];
    const { client } = testClient(setup.collector);
    const query = {
      model: "gpt-4o",
      messages: [
        {
          role: "user" as const,
          content: [
            { type: "text" as const, text: "Weather in" },
            { type: "image_url" as const, image_url: { url: "https://example.com/paris.png" } },
            { type: "text" as const, text: "this city?" },
          ],
        },
      ],
      tools: [
        {
          type: "function" as const,
          function: {
            name: "get_weather",
            parameters: { type: "object", properties: { city: { type: "string" } } },
          },
        },
      ],
    };
    const completion = await setup.openai.chat.completions.create(query);
    expect(completion.choices[0]?.message.content).toBeNull();
    const logged = await client.log({ input: query, output: completion });
    expect(logged.input).toBe("Weather in\n[image]\nthis city?");
    expect(logged.output).toBe('get_weather({"city":"Paris"})');
    await client.shutdown(2000);
    expect(setup.collector.events[0]?.output).toBe('get_weather({"city":"Paris"})');
  });

  it("wrap() around the real client method keeps `this` and logs the completion", async () => {
    const { client } = testClient(setup.collector);
    const completions = setup.openai.chat.completions;
    const create = client.wrap(completions.create.bind(completions));
    const query = { model: "gpt-4o", messages: [{ role: "user" as const, content: "wrapped?" }] };
    const result = await create(query);
    expect(result.choices[0]?.message.content).toBe("It's Paris of course.");
    const unbound = client.wrap(completions.create);
    const again = (await unbound.call(completions, query)) as OpenAI.ChatCompletion;
    expect(again.id).toBe("chatcmpl-fake");
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.shutdown(2000);
    expect(setup.collector.events.map((e) => [e.input, e.output])).toEqual([
      ["wrapped?", "It's Paris of course."],
      ["wrapped?", "It's Paris of course."],
    ]);
  });

  it("log() before init() does not throw, warns once, and sends nothing", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const client = new Phospho();
    const logged = await client.log({ input: "too early", output: "x" });
    await client.log({ input: "still too early" });
    expect(logged.input).toBe("too early");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain("before phospho.init()");
    warn.mockRestore();
  });
});
