/**
 * Issue 13, items 1, 3 and 5 in process: the key is checked before the body is read, key-less routes and /api take
 * small bodies, nesting is refused before parsing, and key-less feedback is bounded, rate-limited, content-free and
 * never overwrites the owner.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";

describe("key before body", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it("answers 401 to a keyed route without a key before parsing its body", async () => {
    // A body that would be a 400 (nesting) if it were parsed first.
    const deep = "[".repeat(200_000);
    for (const key of [null, "phk_not-a-key-at-all-but-long-enough-xxxxxxxxxx"]) {
      const res = await t.post(`/v2/log/${t.a.id}`, deep, key);
      expect(res.statusCode).toBe(401);
    }
    const read = await t.post(`/v2/projects/${t.a.id}/tasks`, "{not json", null);
    expect(read.statusCode).toBe(401);
  });

  it("answers 401 to key-less feedback with a bad key, before its body", async () => {
    const res = await t.post("/v2/tasks/x/flag", "{not json", "phk_wrong-wrong-wrong-wrong-wrong-wrong");
    expect(res.statusCode).toBe(401);
  });

  it("gives key-less routes and /api a small body limit (64 KiB), keyed ingest the large one", async () => {
    const big = { flag: "success", project_id: t.a.id, padding: "x".repeat(70 * 1024) };
    const flag = await t.post("/v2/tasks/x/flag", big, null);
    expect(flag.statusCode).toBe(413);
    expect(flag.json().detail).toMatch(/limit of 65536 bytes/);
    const api = await t.app.inject({
      method: "POST",
      url: "/api/signin",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ apiKey: "x".repeat(70 * 1024) }),
    });
    expect(api.statusCode).toBe(413);
    const ingest = await t.post(`/v2/log/${t.a.id}`, {
      batched_log_events: [{ input: "y".repeat(200 * 1024), task_id: "big-ok" }],
    });
    expect(ingest.statusCode).toBe(200);
  });
});

describe("key-less feedback", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ maxEvalsPerTask: 3, keylessFeedbackPerAddressPerMinute: 20 });
    const res = await t.post(`/v2/log/${t.a.id}`, {
      batched_log_events: [
        { input: "secret input", output: "secret output", task_id: "owned", metadata: { m: "secret" } },
        { input: "plain", task_id: "plain" },
      ],
    });
    expect(res.statusCode).toBe(200);
    const own = await t.post("/v2/tasks/owned", { flag: "success", notes: "owner's notes" });
    expect(own.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  const keyless = (taskId: string, body: Record<string, unknown>, kind = "flag") =>
    t.post(`/v2/tasks/${taskId}/${kind}`, { project_id: t.a.id, ...body }, null);

  it("returns no task content and never overwrites the owner's flag, notes or human eval", async () => {
    const res = await keyless("owned", { flag: "failure", notes: "pwned", source: "owner" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ task_id: "owned", project_id: t.a.id, recorded: true });
    expect(res.body).not.toMatch(/secret/);
    const evalRes = await keyless("owned", { human_eval: "failure", notes: "pwned" }, "human-eval");
    expect(evalRes.body).not.toMatch(/secret/);
    const task = await t.store.getTask(t.a.id, "owned");
    expect(task).toMatchObject({
      flag: "success",
      flag_source: "owner",
      notes: "owner's notes",
      human_eval: null,
    });
    const sources = (await t.store.listEvals(t.a.id, "owned")).map((e) => e.source);
    expect(sources.slice(-2)).toEqual(["user", "user"]);
  });

  it("flags a task no owner flagged, as the user, never as the owner", async () => {
    await keyless("plain", { flag: "failure", source: "owner" });
    expect(await t.store.getTask(t.a.id, "plain")).toMatchObject({ flag: "failure", flag_source: "user" });
  });

  it("refuses notes over 10,000 characters, naming the field", async () => {
    const res = await keyless("plain", { flag: "success", notes: "n".repeat(10_001) });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toBe("notes: must be at most 10000 characters");
    const owner = await t.post("/v2/tasks/plain", { notes: "n".repeat(10_001) });
    expect(owner.statusCode).toBe(422);
  });

  it("keeps a bounded history per task", async () => {
    for (let i = 0; i < 6; i++) {
      expect((await t.post("/v2/tasks/plain/flag", { flag: "success", notes: `n${i}` })).statusCode).toBe(
        200,
      );
    }
    const notes = (await t.store.listEvals(t.a.id, "plain")).map((e) => e.notes);
    expect(notes).toEqual(["n3", "n4", "n5"]);
  });

  it("rate-limits key-less feedback per address, with Retry-After", async () => {
    let last = await keyless("plain", { flag: "success" });
    for (let i = 0; i < 25 && last.statusCode !== 429; i++)
      last = await keyless("plain", { flag: "success" });
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers["retry-after"])).toBeGreaterThan(0);
    expect(last.json().detail).toMatch(/from this address/);
    // A key is never rate-limited this way.
    expect((await t.post("/v2/tasks/plain/flag", { flag: "success" })).statusCode).toBe(200);
  });
});

describe("key-less feedback per project", () => {
  it("rate-limits a project whatever the address", async () => {
    const t = await testApp({ keylessFeedbackPerProjectPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await t.app.inject({
          method: "POST",
          url: "/v2/tasks/any/flag",
          remoteAddress: `10.0.0.${i}`,
          headers: { "content-type": "application/json" },
          payload: JSON.stringify({ project_id: t.a.id, flag: "success" }),
        });
        statuses.push(res.statusCode);
      }
      expect(statuses).toEqual([202, 202, 202, 429, 429]);
    } finally {
      await t.close();
    }
  });
});

describe("trust-proxy option", () => {
  const signIn = (t: TestApp) =>
    t.app.inject({
      method: "POST",
      url: "/api/signin",
      headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
      payload: JSON.stringify({ apiKey: t.a.key }),
    });

  it("sets a Secure cookie behind an HTTPS proxy only when the proxy is trusted", async () => {
    const trusted = await testApp({ trustProxy: true });
    const plain = await testApp();
    try {
      expect(String((await signIn(trusted)).headers["set-cookie"])).toMatch(/; Secure/);
      expect(String((await signIn(plain)).headers["set-cookie"])).not.toMatch(/Secure/);
    } finally {
      await trusted.close();
      await plain.close();
    }
  });
});

describe("cutDeeperThan", () => {
  it("replaces each value opening past the bound by 0, strings untouched", async () => {
    const { cutDeeperThan } = await import("../../src/security/index.js");
    expect(cutDeeperThan('{"a":[[1]],"b":"[[[["}', 2)).toBe('{"a":[0],"b":"[[[["}');
    expect(cutDeeperThan("[[[]],[[[]]]]", 2)).toBe("[[0],[0]]");
    expect(cutDeeperThan('{"a":1}', 2)).toBe('{"a":1}');
    expect(cutDeeperThan("[[[[[", 2)).toBe("[[0");
    // Escaped quotes stay inside their string; an escaped backslash before a quote ends it.
    expect(cutDeeperThan('{"a":"x\\"[[[","b":[[1]]}', 2)).toBe('{"a":"x\\"[[[","b":[0]}');
    expect(cutDeeperThan('{"a":"x\\\\","b":[[1]]}', 2)).toBe('{"a":"x\\\\","b":[0]}');
    expect(cutDeeperThan('[["open', 1)).toBe("[0");
  });
});

describe("key-less feedback waiting for its task", () => {
  const send = (t: TestApp, taskId: string, address: string) =>
    t.app.inject({
      method: "POST",
      url: `/v2/tasks/${taskId}/flag`,
      remoteAddress: address,
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ project_id: t.a.id, flag: "success" }),
    });

  it("keeps at most its share per client address", async () => {
    const t = await testApp({ maxPendingFeedbackPerAddress: 2 });
    try {
      const one = [
        await send(t, "p1", "10.1.0.1"),
        await send(t, "p2", "10.1.0.1"),
        await send(t, "p3", "10.1.0.1"),
      ];
      expect(one.map((r) => r.statusCode)).toEqual([202, 202, 429]);
      expect(one[2]!.json().detail).toMatch(/This address already keeps 2 feedback/);
      expect((await send(t, "p4", "10.1.0.2")).statusCode).toBe(202);
      // Stored hashed, never the address itself.
      const clients = (await t.store.db.selectFrom("evals").select("client").execute()).map((r) => r.client);
      expect(clients.join()).not.toContain("10.1.0");
    } finally {
      await t.close();
    }
  });

  it("expires key-less feedback that waited past its time to live", async () => {
    const t = await testApp({ pendingFeedbackTtlMs: 1 });
    try {
      expect((await send(t, "old", "10.2.0.1")).statusCode).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect((await send(t, "new", "10.2.0.1")).statusCode).toBe(202);
      expect(await t.store.listEvals(t.a.id, "old")).toHaveLength(0);
      expect(await t.store.listEvals(t.a.id, "new")).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});
