/**
 * Issue 13, item 7, on both engines: every v2 task list is paged, cut at a byte budget per reply, and says where to
 * go on; following `next_offset` yields every task once, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";
import { storeEngines } from "../helpers/postgres.js";
import { startHarness } from "../dashboard/harness.js";

describe.each(await storeEngines())("paged task lists on $name", (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ maxReplyBytes: 8_000 }, await engine.create());
    const events = [...Array(20)].map((_, i) => ({
      task_id: `page-${String(i).padStart(2, "0")}`,
      session_id: "paged",
      input: `${i} ${"x".repeat(1_000)}`,
      created_at: 1_700_000_000 + i,
    }));
    expect((await t.post(`/v2/log/${t.a.id}`, { batched_log_events: events })).statusCode).toBe(200);
  });
  afterAll(() => t.close());

  async function follow(
    first: (offset: number) => Promise<{ tasks: Array<{ id: string }>; next_offset: number | null }>,
  ) {
    const ids: string[] = [];
    let offset: number | null = 0;
    let replies = 0;
    while (offset !== null && replies < 50) {
      const page = await first(offset);
      ids.push(...page.tasks.map((task) => task.id));
      offset = page.next_offset;
      replies += 1;
    }
    return { ids, replies };
  }

  it("cuts a session's tasks at the byte budget and pages through them in conversation order", async () => {
    const first = (await t.get("/v2/sessions/paged/tasks")).json();
    expect(first.tasks.length).toBeGreaterThan(0);
    expect(first.tasks.length).toBeLessThan(20);
    expect(first.next_offset).toBe(first.tasks.length);
    const { ids, replies } = await follow(async (offset) =>
      (await t.get(`/v2/sessions/paged/tasks?offset=${offset}`)).json(),
    );
    expect(ids).toEqual([...Array(20)].map((_, i) => `page-${String(i).padStart(2, "0")}`));
    expect(replies).toBeGreaterThan(1);
  });

  it("honours limit and offset on a session's tasks", async () => {
    const page = (await t.get("/v2/sessions/paged/tasks?limit=2&offset=3")).json();
    expect(page.tasks.map((task: { id: string }) => task.id)).toEqual(["page-03", "page-04"]);
    expect(page.next_offset).toBe(5);
    const bad = await t.get("/v2/sessions/paged/tasks?offset=-1");
    expect(bad.statusCode).toBe(422);
  });

  it("pages the task list the same way, newest first", async () => {
    const { ids } = await follow(async (offset) =>
      (await t.post(`/v2/projects/${t.a.id}/tasks`, { offset })).json(),
    );
    expect(ids).toEqual([...Array(20)].map((_, i) => `page-${String(19 - i).padStart(2, "0")}`));
  });
});

describe("the dashboard's session transcript", () => {
  it("stops at 16 MiB of task text and says it was cut", { timeout: 60_000 }, async () => {
    const h = await startHarness((await storeEngines())[0]!);
    try {
      const big = (i: number) => ({
        task_id: `big-${String(i).padStart(2, "0")}`,
        session_id: "big-session",
        input: "y".repeat(900_000),
        created_at: 1_700_000_000 + i,
      });
      for (const start of [0, 10]) await h.log([...Array(10)].map((_, i) => big(start + i)));
      const detail = await h.get<{ tasks: Array<{ id: string }>; truncated?: boolean }>(
        `/projects/${h.projectId}/sessions/big-session`,
      );
      expect(detail.status).toBe(200);
      expect(detail.body.truncated).toBe(true);
      expect(detail.body.tasks.length).toBeLessThan(20);
      expect(detail.body.tasks[0]!.id).toBe("big-00");
      const small = await h.get<{ truncated?: boolean }>(`/projects/${h.projectId}/sessions/none`);
      expect(small.status).toBe(404);
    } finally {
      await h.close();
    }
  });
});
