/** Bad input of every kind: a clear message naming the field and the rule, the good events stored, never a 5xx. */
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";

describe("validation", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ bodyLimitBytes: 4 * 1024 * 1024, maxEventBytes: 64 * 1024, maxBatchEvents: 10_000 });
  });
  afterAll(() => t.close());
  const log = (body: unknown) => t.post(`/v2/log/${t.a.id}`, body);

  const badEvents: Array<[string, unknown, RegExp]> = [
    ["missing input", { output: "x" }, /^input: is required/],
    ["input of the wrong type", { input: 42 }, /^input: must be a string/],
    ["input null", { input: null }, /^input: /],
    ["output an object", { input: "x", output: { a: 1 } }, /^output: /],
    ["task_id a number", { input: "x", task_id: 7 }, /^task_id: /],
    ["task_id empty", { input: "x", task_id: "" }, /^task_id: must not be empty/],
    ["task_id too long", { input: "x", task_id: "t".repeat(600) }, /^task_id: must be at most 512/],
    [
      "client_created_at fractional",
      { input: "x", client_created_at: 1.5 },
      /^client_created_at: must be an integer/,
    ],
    [
      "client_created_at in ms",
      { input: "x", client_created_at: 1_700_000_000_000 },
      /^client_created_at: must be unix seconds/,
    ],
    ["client_created_at negative", { input: "x", client_created_at: -1 }, /^client_created_at: /],
    ["created_at a string", { input: "x", created_at: "yesterday" }, /^created_at: /],
    ["metadata an array", { input: "x", metadata: [1, 2] }, /^metadata: /],
    ["metadata a string", { input: "x", metadata: "m" }, /^metadata: /],
    ["flag unknown", { input: "x", flag: "meh" }, /^flag: /],
    ["session_id an object", { input: "x", session_id: {} }, /^session_id: /],
    [
      "another project",
      { input: "x", project_id: "someone-else" },
      /^project_id: must be the project of the URL/,
    ],
    ["an event that is a string", "just text", /^event: must be a JSON object/],
    ["an event that is null", null, /^event: must be a JSON object/],
    ["an event that is an array", [1], /^event: must be a JSON object/],
    [
      "too big an event",
      { input: "x".repeat(70 * 1024) },
      /^event: \d+ bytes is over the limit of 65536 bytes per event/,
    ],
    [
      "deep nesting",
      { input: "x", metadata: { deep: nest(200) } },
      /^metadata: nested deeper than 64 levels/,
    ],
    ["deep raw_input", { input: "x", raw_input: nest(100) }, /^raw_input: nested deeper than 64 levels/],
  ];

  function nest(depth: number): unknown {
    let value: unknown = "bottom";
    for (let i = 0; i < depth; i++) value = { v: value };
    return value;
  }

  it.each(badEvents)(
    "rejects %s with a per-event error and stores the good event beside it",
    async (_name, bad, rule) => {
      const res = await log({ batched_log_events: [bad, { input: "good", task_id: `good-${_name}` }] });
      expect(res.statusCode).toBe(200);
      const [first, second] = res.json().logged_events;
      expect(first.error_in_log).toMatch(rule);
      expect(second.task_id).toBe(`good-${_name}`);
      expect(await t.store.getTask(t.a.id, `good-${_name}`)).not.toBeNull();
    },
  );

  const badEnvelopes: Array<[string, string, number, RegExp]> = [
    ["not JSON", "{nope", 400, /JSON/],
    ["a JSON array", "[1,2]", 422, /^body: must be a JSON object/],
    ["a JSON string", '"x"', 422, /^body: must be a JSON object/],
    ["no batched_log_events", '{"events": []}', 422, /^batched_log_events: is required/],
    [
      "batched_log_events an object",
      '{"batched_log_events": {}}',
      422,
      /^batched_log_events: must be an array/,
    ],
    ["batched_log_events null", '{"batched_log_events": null}', 422, /^batched_log_events: must be an array/],
  ];

  it.each(badEnvelopes)("answers %s with %i and a message", async (_name, body, status, rule) => {
    const res = await log(body);
    expect(res.statusCode).toBe(status);
    expect(res.json().detail).toMatch(rule);
  });

  it("answers an empty body with 422 and a message", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: `/v2/log/${t.a.id}`,
      headers: { authorization: `Bearer ${t.a.key}`, "content-type": "application/json" },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/^body: must be a JSON object/);
  });

  it("answers a body over the limit with 413", async () => {
    const res = await log({ batched_log_events: [{ input: "x".repeat(5 * 1024 * 1024) }] });
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toMatch(/larger than the limit/);
  });

  it("answers more events than the limit with 413", async () => {
    const res = await log({ batched_log_events: Array.from({ length: 10_001 }, () => ({ input: "x" })) });
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toMatch(/10001 events is over the limit of 10000/);
  });

  it("stores a 10,000-event batch", async () => {
    const events = Array.from({ length: 10_000 }, (_, i) => ({
      input: `bulk ${i}`,
      task_id: `bulk-${i}`,
      session_id: "bulk",
    }));
    const res = await log({ batched_log_events: events });
    expect(res.statusCode).toBe(200);
    expect(res.json().logged_events).toHaveLength(10_000);
    expect((await t.store.getSession(t.a.id, "bulk"))?.session_length).toBe(10_000);
  });

  it("removes NUL characters from strings and keys, on every engine alike", async () => {
    const res = await log({
      batched_log_events: [
        { input: "a\u0000b", task_id: "nul\u0000", output: "\u0000", metadata: { "k\u0000": "v\u0000" } },
      ],
    });
    expect(res.statusCode).toBe(200);
    const task = await t.store.getTask(t.a.id, "nul");
    expect(task?.input).toBe("ab");
    expect(task?.output).toBe("");
    expect(JSON.parse(task!.metadata)).toEqual({ k: "v" });
  });

  it("decodes invalid UTF-8 as replacement characters instead of failing", async () => {
    const payload = Buffer.concat([
      Buffer.from('{"batched_log_events":[{"task_id":"utf","input":"bad '),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}]}'),
    ]);
    const res = await t.app.inject({
      method: "POST",
      url: `/v2/log/${t.a.id}`,
      headers: { authorization: `Bearer ${t.a.key}`, "content-type": "application/json" },
      payload,
    });
    expect(res.statusCode).toBe(200);
    expect((await t.store.getTask(t.a.id, "utf"))?.input).toBe("bad \ufffd\ufffd\ufffd");
  });

  it("stores lone surrogates without failing", async () => {
    const res = await log('{"batched_log_events":[{"task_id":"sur","input":"x\\ud800y"}]}');
    expect(res.statusCode).toBe(200);
    expect((await t.store.getTask(t.a.id, "sur"))?.input).toBe("x\ufffdy");
  });

  it("survives a body nested thousands of levels deep: a per-event error, the rest stored", async () => {
    const deep = "[".repeat(50_000) + "]".repeat(50_000);
    const res = await log(
      `{"batched_log_events":[{"input":"x","metadata":{"d":${deep}}},{"input":"ok","task_id":"beside-deep"}]}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().logged_events[0].error_in_log).toBe("metadata: nested deeper than 64 levels");
    expect(await t.store.getTask(t.a.id, "beside-deep")).not.toBeNull();
    const objects = '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000);
    const res2 = await log(`{"batched_log_events":[{"input":"x","metadata":${objects}}]}`);
    expect(res2.json().logged_events[0].error_in_log).toBe("metadata: nested deeper than 64 levels");
    // Unbalanced nesting is refused as invalid JSON, without building it.
    const open = await log("[".repeat(1_000_000));
    expect(open.statusCode).toBe(400);
    expect(open.json().detail).toMatch(/^Body is not valid JSON/);
    // Brackets inside strings are text, not nesting.
    const res3 = await log({ batched_log_events: [{ input: "[".repeat(10_000), task_id: "brackets" }] });
    expect(res3.statusCode).toBe(200);
    expect(res3.json().logged_events[0].error_in_log).toBeUndefined();
  });

  it("reads JSON sent as text/plain (a browser without a preflight) or with a charset", async () => {
    for (const type of ["text/plain", "application/json; charset=utf-8"]) {
      const res = await t.app.inject({
        method: "POST",
        url: `/v2/log/${t.a.id}`,
        headers: { authorization: `Bearer ${t.a.key}`, "content-type": type },
        payload: JSON.stringify({ batched_log_events: [{ input: type, task_id: `type-${type}` }] }),
      });
      expect(res.statusCode).toBe(200);
      expect((await t.store.getTask(t.a.id, `type-${type}`))?.input).toBe(type);
    }
  });

  it("rejects a wrong Content-Type with a message", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: `/v2/log/${t.a.id}`,
      headers: { authorization: `Bearer ${t.a.key}`, "content-type": "application/xml" },
      payload: "<x/>",
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().detail).toMatch(/application\/json/);
  });

  it("names the field of a bad read or feedback body", async () => {
    const list = await t.post(`/v2/projects/${t.a.id}/tasks`, { filters: { flag: "maybe" } });
    expect(list.statusCode).toBe(422);
    expect(list.json().detail).toMatch(/^filters\.flag: /);
    const limit = await t.post(`/v2/projects/${t.a.id}/tasks`, { limit: -3 });
    expect(limit.statusCode).toBe(422);
    expect(limit.json().detail).toMatch(/^limit: /);
    const flag = await t.post(`/v2/tasks/x/flag`, { flag: "great" });
    expect(flag.statusCode).toBe(422);
    expect(flag.json().detail).toMatch(/^flag: /);
    const meta = await t.post(`/v2/projects/${t.a.id}/tasks`, { filters: { metadata: { 'a"b': 1 } } });
    expect(meta.statusCode).toBe(422);
    expect(meta.json().detail).toMatch(/^filters\.metadata: keys must not contain/);
  });

  it("removes prototype-poisoning keys and stores every event of the batch", async () => {
    const body =
      '{"batched_log_events": [{"input": "a", "task_id": "proto-0"},' +
      ' {"input": "q", "task_id": "proto-1", "metadata": {"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}, "kept": 1}},' +
      ' {"input": "b", "task_id": "proto-2"}], "__proto__": {"x": 1}}';
    const res = await log(body);
    expect(res.statusCode).toBe(200);
    for (const id of ["proto-0", "proto-1", "proto-2"])
      expect(await t.store.getTask(t.a.id, id)).not.toBeNull();
    const metadata = JSON.parse((await t.store.getTask(t.a.id, "proto-1"))!.metadata) as Record<
      string,
      unknown
    >;
    expect(metadata.kept).toBe(1);
    expect(Object.hasOwn(metadata, "__proto__")).toBe(false);
    expect(JSON.stringify(metadata)).not.toMatch(/prototype|polluted/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("answers an over-long path parameter with 414 and a message", async () => {
    const res = await t.post(`/v2/log/${"p".repeat(10_000)}`, { batched_log_events: [] });
    expect(res.statusCode).toBe(414);
    expect(res.json().detail).toMatch(/longer than 100 characters/);
  });

  it("lets a client still sending an oversized body read the 413 over a real socket", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const body = Buffer.from(
      JSON.stringify({ batched_log_events: [{ input: "x".repeat(12 * 1024 * 1024) }] }),
    );
    const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: `/v2/log/${t.a.id}`,
          method: "POST",
          // A declared length lets the collector refuse before reading anything: the case that reset clients.
          headers: {
            authorization: `Bearer ${t.a.key}`,
            "content-type": "application/json",
            "content-length": String(body.length),
          },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      // Written in small pieces, as a slow client would, so the answer comes while it is still sending.
      let offset = 0;
      const writeMore = (): void => {
        while (offset < body.length) {
          const chunk = body.subarray(offset, offset + 64 * 1024);
          offset += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", writeMore);
        }
        req.end();
      };
      writeMore();
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text).detail).toMatch(/larger than the limit of 4194304 bytes/);
  });
});
