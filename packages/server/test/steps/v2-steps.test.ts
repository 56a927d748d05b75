/**
 * Steps on `/v2/log`: validated per field (a bad step costs only its event), upserted by id, returned by the v2 task
 * read and the dashboard task API, counted in the dashboard task list; on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeEngines } from "../helpers/postgres.js";
import { startHarness, type Harness } from "../dashboard/harness.js";

const T0 = 1_790_000_000_000;

function step(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    parent_id: null,
    name: `step ${id}`,
    kind: "llm",
    started_at: T0,
    ended_at: T0 + 500,
    ...extra,
  };
}

interface WireStep {
  id: string;
  name: string;
  kind: string;
  input: unknown;
  output: unknown;
  status: string;
  prompt_tokens: number | null;
  attributes: Record<string, unknown>;
}

describe.each(await storeEngines())("steps on /v2/log on $name", (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  async function logRaw(events: unknown[]) {
    const reply = await h.app.inject({
      method: "POST",
      url: `/v2/log/${h.projectId}`,
      headers: { authorization: `Bearer ${h.apiKey}`, "content-type": "application/json" },
      payload: JSON.stringify({ batched_log_events: events }),
    });
    expect(reply.statusCode).toBe(200);
    return (reply.json() as { logged_events: Array<Record<string, unknown>> }).logged_events;
  }

  async function v2Task(id: string) {
    const reply = await h.app.inject({
      method: "GET",
      url: `/v2/tasks/${id}`,
      headers: { authorization: `Bearer ${h.apiKey}` },
    });
    return reply.json() as { steps: WireStep[]; metadata: Record<string, unknown> };
  }

  it("stores valid steps, refuses a bad one naming its field, and keeps the other events", async () => {
    const logged = await logRaw([
      {
        task_id: "with-steps",
        input: "plan",
        output: "done",
        steps: [
          step("root", { kind: "agent", ended_at: T0 + 2_000 }),
          step("call", {
            parent_id: "root",
            model: "gpt-4o",
            prompt_tokens: 12,
            input: [{ role: "user", content: "plan" }],
            output: [{ role: "assistant", content: "done" }],
            status: "ok",
            attributes: { "custom.key": 1 },
          }),
        ],
      },
      { task_id: "bad-kind", input: "x", steps: [step("a"), step("b", { kind: "wizard" })] },
      { task_id: "bad-time", input: "x", steps: [step("a", { started_at: 1_790_000_000 })] },
      { task_id: "repeated", input: "x", steps: [step("a"), step("a")] },
      { task_id: "not-a-list", input: "x", steps: { id: "a" } },
      { task_id: "flat", input: "no steps" },
    ]);
    expect(logged[0]).toMatchObject({ task_id: "with-steps" });
    expect(logged[1]!.error_in_log).toMatch(/^steps\[1\]\.kind: must be one of llm, tool/);
    expect(logged[2]!.error_in_log).toMatch(/^steps\[0\]\.started_at: must be milliseconds/);
    expect(logged[3]!.error_in_log).toMatch(/^steps\[1\]\.id: a is repeated/);
    expect(logged[4]!.error_in_log).toBe("steps: must be an array of steps");
    expect(logged[5]).toMatchObject({ task_id: "flat" });

    const task = await v2Task("with-steps");
    expect(task.metadata).not.toHaveProperty("steps");
    expect(task.steps.map((s) => [s.id, s.kind])).toEqual([
      ["root", "agent"],
      ["call", "llm"],
    ]);
    expect(task.steps[1]).toMatchObject({
      input: [{ role: "user", content: "plan" }],
      status: "ok",
      prompt_tokens: 12,
      attributes: { "custom.key": 1 },
    });
    expect((await v2Task("flat")).steps).toEqual([]);
  });

  it("replaces a step sent again, and the dashboard API returns steps and counts", async () => {
    await logRaw([{ task_id: "resent", input: "q", steps: [step("s1"), step("s2")] }]);
    await logRaw([{ task_id: "resent", input: "q", steps: [step("s2", { name: "renamed", kind: "tool" })] }]);
    const task = await v2Task("resent");
    expect(task.steps.map((s) => [s.id, s.name, s.kind])).toEqual([
      ["s1", "step s1", "llm"],
      ["s2", "renamed", "tool"],
    ]);
    const detail = await h.get<{ steps: WireStep[]; task: { step_count: number } }>(
      `/projects/${h.projectId}/tasks/resent`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.task.step_count).toBe(2);
    expect(detail.body.steps.map((s) => s.id)).toEqual(["s1", "s2"]);
    const list = await h.get<{ tasks: Array<{ id: string; step_count: number }> }>(
      `/projects/${h.projectId}/tasks?limit=200`,
    );
    const counts = Object.fromEntries(list.body.tasks.map((t) => [t.id, t.step_count]));
    expect(counts).toMatchObject({ resent: 2, "with-steps": 2, flat: 0 });
  });

  it("cuts content over the documented limit instead of refusing the step", async () => {
    const huge = "x".repeat(100_000);
    await logRaw([
      { task_id: "huge", input: "q", steps: [step("big", { input: huge, attributes: { long: huge } })] },
    ]);
    const [big] = (await v2Task("huge")).steps;
    expect(typeof big!.input).toBe("string");
    expect((big!.input as string).length).toBeLessThan(40_000);
    expect(big!.input as string).toContain("[truncated:");
    expect((big!.attributes.long as string).length).toBeLessThan(5_000);
  });
});
