// Extractors and JSON-safe conversion: no input shape ever throws, and the originals survive as JSON.

import { describe, expect, it } from "vitest";
import { buildEvent, type EventLimits } from "../src/extract/event.js";
import { extractInput } from "../src/extract/input.js";
import { TRUNCATION_MARKER, toJsonSafe } from "../src/extract/json-safe.js";
import { extractOutput } from "../src/extract/output.js";
import { normaliseUsage } from "../src/extract/usage.js";

const limits: EventLimits = {
  projectId: "p",
  maxContentChars: 1000,
  maxRawChars: 5000,
  mask: undefined,
  versionId: undefined,
  environment: undefined,
};

describe("toJsonSafe", () => {
  it("turns circular references, BigInt, Date, Error, Map, Set and class instances into JSON", () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
      get norm(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    const error = new Error("boom", { cause: new TypeError("inner") });
    const value = {
      circular,
      big: 12345678901234567890n,
      date: new Date("2024-01-02T03:04:05.000Z"),
      error,
      map: new Map<unknown, unknown>([
        ["a", 1],
        [2, "b"],
      ]),
      set: new Set([1, 2, 2, 3]),
      point: new Point(3, 4),
      fn: () => 1,
      undef: undefined,
      nan: Number.NaN,
      sym: Symbol("s"),
      bytes: new Uint8Array([1, 2]),
    };
    const { value: safe } = toJsonSafe(value, { maxChars: 10_000 });
    const text = JSON.stringify(safe);
    const back = JSON.parse(text) as Record<string, unknown>;
    expect(back.circular).toEqual({ name: "loop", self: "[Circular]" });
    expect(back.big).toBe("12345678901234567890");
    expect(back.date).toBe("2024-01-02T03:04:05.000Z");
    expect(back.error).toMatchObject({
      name: "Error",
      message: "boom",
      cause: { name: "TypeError", message: "inner" },
    });
    expect(back.map).toEqual({ a: 1, "2": "b" });
    expect(back.set).toEqual([1, 2, 3]);
    expect(back.point).toEqual({ x: 3, y: 4 });
    expect(back).not.toHaveProperty("fn");
    expect(back).not.toHaveProperty("undef");
    expect(back.nan).toBe("NaN");
    expect(back.sym).toBe("Symbol(s)");
    expect(back.bytes).toEqual([1, 2]);
  });

  it("survives throwing getters, throwing toJSON and hostile proxies", () => {
    const getter = Object.defineProperty({}, "bad", {
      enumerable: true,
      get() {
        throw new Error("no");
      },
    });
    const badJson = {
      toJSON() {
        throw new Error("no");
      },
    };
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("trap");
        },
      },
    );
    expect(toJsonSafe(getter, { maxChars: 100 }).value).toEqual({ bad: "[Unreadable]" });
    expect(toJsonSafe(badJson, { maxChars: 100 }).value).toBe("[Unserializable]");
    expect(toJsonSafe(proxy, { maxChars: 100 }).value).toBe("[Unserializable]");
  });

  it("truncates oversized values with a visible marker and keeps the size near the budget", () => {
    const { value, size } = toJsonSafe(
      { text: "y".repeat(50_000), more: ["z".repeat(100)] },
      { maxChars: 1000 },
    );
    const text = JSON.stringify(value);
    expect(text).toContain(TRUNCATION_MARKER);
    expect(text.length).toBeLessThan(1200);
    expect(size).toBeLessThan(1300);
  });

  it("gives plain data the same copy and size through its fast path as through the general walker", () => {
    // An identity mask sends a value through the general walker; without a mask, plain data takes the fast path.
    const general = (value: unknown, maxChars: number) =>
      toJsonSafe(value, { maxChars, mask: (text) => text });
    const deep = (levels: number): unknown => (levels === 0 ? "leaf" : { next: deep(levels - 1) });
    const cases: Array<[unknown, number]> = [
      [{ model: "m", messages: [{ role: "user", content: "hi" }], temperature: 0, stream: false }, 1000],
      [{ kept: "x", gone: undefined, fn: () => 1, list: [1, undefined, null, "s", true] }, 1000],
      [Object.assign(Object.create(null) as object, { a: { b: [1.5, -2, "c"] } }), 1000],
      [{ exactly: "12345", then: "more" }, 5],
      [{ over: "123456" }, 5],
      [["a", "b", "c"], 2],
      [deep(31), 1000],
      [deep(32), 1000],
      [deep(40), 1000],
      [Array.from({ length: 10_001 }, (_, i) => i), 1_000_000],
      [{ nan: Number.NaN, inf: [Infinity], big: { n: 1n } }, 1000],
      [{ date: new Date(0), map: new Map([["k", "v"]]) }, 1000],
      [{ json: { toJSON: () => "converted" } }, 1000],
      ["a string", 3],
      [42, 10],
    ];
    for (const [value, maxChars] of cases) {
      expect(toJsonSafe(value, { maxChars })).toEqual(general(value, maxChars));
    }
    // eslint-disable-next-line no-sparse-arrays -- a hole reads as undefined, written as null by both
    const holes = [1, , 3];
    expect(toJsonSafe(holes, { maxChars: 100 })).toEqual(general(holes, 100));
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    expect(toJsonSafe(circular, { maxChars: 100 })).toEqual(general(circular, 100));
  });

  it("copies plain data: later changes to the logged objects are not seen", () => {
    const messages = [{ role: "user", content: "first" }];
    const query = { model: "m", messages };
    const { value } = toJsonSafe(query, { maxChars: 1000 });
    messages.push({ role: "assistant", content: "later" });
    query.model = "changed";
    expect(value).toEqual({ model: "m", messages: [{ role: "user", content: "first" }] });
  });

  it("applies mask to every string", () => {
    const { value } = toJsonSafe(
      { a: "card 4242", b: ["4242"] },
      { maxChars: 100, mask: (t) => t.replace(/4242/g, "****") },
    );
    expect(value).toEqual({ a: "card ****", b: ["****"] });
  });
});

describe("input and output extraction", () => {
  it("takes the last user message, including content-part arrays", () => {
    const found = extractInput({
      model: "gpt-4o",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "first" },
        { role: "assistant", content: "ok" },
        {
          role: "user",
          content: [
            { type: "text", text: "what is in" },
            { type: "image_url", image_url: { url: "https://x" } },
            { type: "text", text: "this picture?" },
          ],
        },
      ],
    });
    expect(found).toEqual({
      text: "what is in\n[image]\nthis picture?",
      model: "gpt-4o",
      systemPrompt: "be brief",
    });
  });

  it("reads the Anthropic system prompt", () => {
    expect(
      extractInput({ model: "claude", system: "sys", messages: [{ role: "user", content: "hi" }] }),
    ).toEqual({
      text: "hi",
      model: "claude",
      systemPrompt: "sys",
    });
  });

  it("uses the tool calls when the first choice's content is null", () => {
    const found = extractOutput({
      model: "gpt-4o",
      choices: [
        {
          message: {
            role: "assistant",
            content: null,
            tool_calls: [
              { type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            ],
          },
        },
      ],
    });
    expect(found?.text).toBe('get_weather({"city":"Paris"})');
  });

  it("reads usage in both namings", () => {
    expect(normaliseUsage({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 })).toEqual({
      prompt_tokens: 3,
      completion_tokens: 4,
      total_tokens: 7,
    });
    expect(normaliseUsage({ input_tokens: 10, output_tokens: 5 })).toEqual({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
    });
    expect(normaliseUsage({ foo: 1 })).toBeUndefined();
  });

  it("falls back to JSON text for an object without choices (the upstream crash)", () => {
    const { event } = buildEvent(
      {},
      "task_1",
      { question: "q" },
      { answer: 42, nested: { ok: true } },
      limits,
    );
    expect(event.input).toBe('{"question":"q"}');
    expect(event.output).toBe('{"answer":42,"nested":{"ok":true}}');
    expect(event.raw_output).toEqual({ answer: 42, nested: { ok: true } });
  });

  it("never throws for any input shape, including failing custom extractors", () => {
    const weird: unknown[] = [
      undefined,
      null,
      0,
      -1.5,
      true,
      10n,
      Symbol("x"),
      () => 1,
      [],
      [null, undefined],
      { choices: "not an array" },
      { choices: [null] },
      { choices: [{ message: null }] },
      { messages: "nope" },
      { messages: [null, 3, { role: "user", content: { weird: true } }] },
      { content: [{ type: "text", text: 3 }] },
      new Proxy(
        {},
        {
          get: () => {
            throw new Error("trap");
          },
        },
      ),
      Object.create(null),
    ];
    for (const input of weird) {
      for (const output of weird) {
        const { event } = buildEvent(
          {
            inputToStrFunction: () => {
              throw new Error("user bug");
            },
          },
          "task",
          input,
          output,
          limits,
        );
        expect(typeof event.input).toBe("string");
        expect(() => JSON.stringify(event)).not.toThrow();
      }
    }
  });

  it("truncates long input and output text with a visible marker", () => {
    const { event } = buildEvent({}, "t", "a".repeat(5000), "b".repeat(5000), limits);
    expect(event.input.length).toBeLessThan(1100);
    expect(event.input.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(event.output?.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  it("keeps sessionId, userId, versionId and flag first-class, and metadata explicit keys win", () => {
    const { event } = buildEvent(
      { sessionId: "s1", userId: "u1", versionId: "v1", flag: "success", metadata: { a: 1 }, a: 2, b: 3 },
      "t",
      "in",
      "out",
      limits,
    );
    expect(event).toMatchObject({ session_id: "s1", user_id: "u1", version_id: "v1", flag: "success" });
    expect(event.metadata).toEqual({ a: 1, b: 3 });
  });
});
