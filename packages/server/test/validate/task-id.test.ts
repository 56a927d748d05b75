import { describe, expect, it } from "vitest";
import { normalizeEvent } from "../../src/validate/event.js";

const limits = { maxEventBytes: 1e6, maxDepth: 64 };
const madeId = (now: number) => {
  const result = normalizeEvent({ input: "hi" }, "p", now, limits);
  if (!result.ok) throw new Error(result.error);
  return result.event;
};

describe("ids made for events sent without one", () => {
  it("keep the wire shape and start with the time of receipt, so later ids sort after earlier ones", () => {
    const now = 1_796_000_000_123;
    const id = madeId(now).task_id;
    expect(id).toMatch(/^task_[0-9a-f]{32}$/);
    expect(id.slice(5, 17)).toBe(now.toString(16).padStart(12, "0"));
    const later = [1, 2, 1_000, 86_400_000].map((ms) => madeId(now + ms).task_id);
    expect([...later].sort()).toEqual(later);
    expect(later.every((other) => other > id)).toBe(true);
  });

  it("differ within one millisecond, and mark the event fresh; a sent id is kept and not fresh", () => {
    const ids = new Set(Array.from({ length: 2_000 }, () => madeId(5).task_id));
    expect(ids.size).toBe(2_000);
    expect(madeId(5).fresh).toBe(true);
    const sent = normalizeEvent({ input: "hi", task_id: "mine" }, "p", 5, limits);
    expect(sent.ok && sent.event.task_id).toBe("mine");
    expect(sent.ok && sent.event.fresh).toBeUndefined();
  });
});
