import { describe, expect, it } from "vitest";
import { normalizeEvent } from "../../src/validate/event.js";
import { sanitize } from "../../src/validate/sanitize.js";

const event = {
  input: "Quelle heure est-il ? ⏰",
  output: "Il est midi, 🐸",
  raw_input: { messages: [{ role: "user", content: "Quelle heure est-il ? ⏰" }], n: 1 },
  raw_output: { choices: [{ text: "midi" }], usage: { prompt_tokens: 7 } },
  metadata: { tag: "été" },
  user_id: "u1",
  prompt_tokens: 7,
};
const size = Buffer.byteLength(JSON.stringify(event), "utf8");

describe("the per-event size bound", () => {
  it("counts the bytes of the event's whole JSON text, raw input and output included", () => {
    const at = (maxEventBytes: number) => normalizeEvent(event, "p", 1_000, { maxEventBytes, maxDepth: 64 });
    expect(at(size).ok).toBe(true);
    const over = at(size - 1);
    expect(over.ok).toBe(false);
    expect(!over.ok && over.error).toBe(
      `event: ${size} bytes is over the limit of ${size - 1} bytes per event`,
    );
  });

  it("is exact at the limit for texts that escape or take several bytes, numbers, booleans and nested values", () => {
    const tricky = {
      input: '\u0001\u001f"\\ é ⏰ 🐸 \u2028',
      output: null,
      "clé \u0002": -1.7976931348623157e308,
      big: 1e21,
      small: 5e-324,
      yes: true,
      raw_input: { "\u0003": ["🐸", 1e-7, { deep: [null, false] }] },
      raw_output: "a plain string",
      metadata: { nested: { list: [1, "é", null] } },
    };
    const exact = Buffer.byteLength(JSON.stringify(tricky), "utf8");
    const at = (maxEventBytes: number) => normalizeEvent(tricky, "p", 1_000, { maxEventBytes, maxDepth: 64 });
    expect(at(exact).ok).toBe(true);
    const over = at(exact - 1);
    expect(!over.ok && over.error).toBe(
      `event: ${exact} bytes is over the limit of ${exact - 1} bytes per event`,
    );
  });

  it("stores the raw input and output as their JSON text", () => {
    const result = normalizeEvent(event, "p", 1_000, { maxEventBytes: 1e6, maxDepth: 64 });
    expect(result.ok && result.event.raw_input).toBe(JSON.stringify(event.raw_input));
    expect(result.ok && result.event.raw_output).toBe(JSON.stringify(event.raw_output));
  });
});

describe("sanitize", () => {
  it("hands back a clean value as it is, and copies one with a NUL without changing the input", () => {
    const clean = { a: ["x", { b: "y" }], c: 1 };
    expect(sanitize(clean, 64, "event")).toBe(clean);
    const dirty = { a: ["x", { b: "y\u0000z" }], "k\u0000": "\uD800", c: 1 };
    const copy = JSON.stringify(dirty);
    expect(sanitize(dirty, 64, "event")).toEqual({ a: ["x", { b: "yz" }], k: "\uFFFD", c: 1 });
    expect(JSON.stringify(dirty)).toBe(copy);
  });
});
