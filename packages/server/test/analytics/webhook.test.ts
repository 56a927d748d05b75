/**
 * Webhooks, through the real collector and its job runner, to a real receiver on 127.0.0.1: the POST and its
 * body, retries with backoff after 5xx and a receiver that never answers, a job shown failed (with its error,
 * retryable) after the last attempt while the detection stays, and the URL rules (SSRF): refused with a 400 at
 * definition time, and refused again at call time on the address the socket would connect to.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { lookup } from "node:dns/promises";
import { hostname } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import {
  createAnalyticsRunner,
  DEFAULT_WEBHOOK_POLICY,
  type WebhookPolicy,
} from "../../src/analytics/index.js";
import type { JobRunner } from "../../src/jobs/index.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { startHarness, type Harness } from "../dashboard/harness.js";
import { storeEngines } from "../helpers/postgres.js";

interface Received {
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

/**
 * A webhook receiver: `answer(n)` (n from 1) gives the status of the n-th request, "hang" to never reply, or
 * "trickle" to answer 200 and then never finish the body.
 */
async function startReceiver(answer: (n: number) => number | "hang" | "trickle") {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  /** Trickling replies the collector closed. */
  const cut = { count: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
      });
      const status = answer(received.length);
      if (status === "hang") hanging.push(response);
      else if (status === "trickle") {
        response.writeHead(200, { "content-type": "text/plain" });
        response.write("still sending");
        response.on("close", () => (cut.count += 1));
        hanging.push(response);
      } else response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks/phospho?token=t1`,
    port,
    received,
    cut,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until<T>(probe: () => Promise<T | false> | T | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== false) return value;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A name (not an address) that resolves to this machine, when the box has one (its host name usually does). */
const name = hostname();
const nameIsLocal = await lookup(name).then(
  ({ address }) => /^127\./.test(address),
  () => false,
);

const ALLOW_LOOPBACK: WebhookPolicy = { allowPrivate: true, timeoutMs: 300 };

describe.each(await storeEngines())("webhooks on $name", (engine) => {
  let h: Harness | undefined;
  let runner: JobRunner | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

  afterEach(async () => {
    await runner?.stop();
    await receiver?.close();
    await h?.close();
    runner = undefined;
    receiver = undefined;
    h = undefined;
  });

  /** The collector (API under `appPolicy`) and its runner (calls under `runPolicy`), with fast retries. */
  async function start(appPolicy: WebhookPolicy, runPolicy = appPolicy, maxAttempts = 3) {
    h = await startHarness(engine, { webhooks: appPolicy });
    runner = createAnalyticsRunner(h.store as KyselyStore, {
      runner: { pollMs: 5, backoffMs: 20, maxAttempts },
      scanEveryMs: 10,
      scan: { settleMs: 0 },
      webhooks: runPolicy,
    });
    return h;
  }

  async function createEvent(harness: Harness, webhookUrl: string) {
    const created = await harness.send<{ id: string; webhook_url: string; detail?: string }>(
      "POST",
      `/projects/${harness.projectId}/events`,
      { name: "Refund", detector: "keywords", config: { keywords: ["refund"] }, webhook_url: webhookUrl },
    );
    expect(created.status, created.body.detail).toBe(201);
    return created.body;
  }

  async function webhookJobs(harness: Harness) {
    return harness.store.db
      .selectFrom("jobs")
      .select(["status", "attempts", "last_error", "unique_key"])
      .where("project_id", "=", harness.projectId)
      .where("kind", "=", "webhook")
      .execute();
  }

  async function detectionOf(harness: Harness, taskId: string) {
    return harness.store.db
      .selectFrom("detections")
      .select(["present", "definition_version"])
      .where("project_id", "=", harness.projectId)
      .where("task_id", "=", taskId)
      .executeTakeFirst();
  }

  it("POSTs each detection once, with the documented body, and nothing for a task without the event", async () => {
    receiver = await startReceiver(() => 204);
    const harness = await start(ALLOW_LOOPBACK);
    const event = await createEvent(harness, receiver.url);
    await harness.log([
      { task_id: "r1", session_id: "s1", input: "I want a REFUND now", output: "ok" },
      { task_id: "n1", session_id: "s1", input: "What time is it?", output: "noon" },
    ]);
    runner!.start();
    await until(async () => (await webhookJobs(harness)).some((job) => job.status === "done"));
    // Both tasks analysed; only r1 had the event.
    await until(async () => (await detectionOf(harness, "n1")) !== undefined);
    expect(await webhookJobs(harness)).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
    const [hit] = receiver.received;
    const deliveryId = `hook:r1:${event.id}:1`;
    expect(hit!.headers["content-type"]).toBe("application/json");
    expect(hit!.headers["x-phospho-delivery"]).toBe(deliveryId);
    expect(hit!.body).toEqual({
      delivery_id: deliveryId,
      project_id: harness.projectId,
      event: { id: event.id, name: "Refund", version: 1, detector: "keywords", scope: "input" },
      detection: {
        task_id: "r1",
        session_id: "s1",
        present: true,
        label: "refund", // the keyword that matched
        score: null,
        confidence: 1,
        created_at: expect.any(Number) as number,
      },
    });
  });

  it("POSTs a session-scope detection once per session, on the session's pseudo task id", async () => {
    receiver = await startReceiver(() => 200);
    const harness = await start(ALLOW_LOOPBACK);
    const created = await harness.send<{ id: string }>("POST", `/projects/${harness.projectId}/events`, {
      name: "Resolved",
      scope: "session",
      detector: "keywords",
      config: { keywords: ["resolved"] },
      webhook_url: receiver.url,
    });
    expect(created.status).toBe(201);
    await harness.log([
      { task_id: "a1", session_id: "s9", input: "my order is late", output: "Let me check." },
      { task_id: "a2", session_id: "s9", input: "ok it is resolved, thanks", output: "Glad to help." },
    ]);
    runner!.start();
    await until(async () => (await webhookJobs(harness)).some((job) => job.status === "done"));
    expect(
      receiver.received.map((r) => [r.body.delivery_id, (r.body.detection as { task_id: string }).task_id]),
    ).toEqual([[`hook:session:s9:${created.body.id}:1`, "session:s9"]]);
  });

  it("retries a receiver that answers 500 with backoff until it takes the detection", async () => {
    receiver = await startReceiver((n) => (n <= 2 ? 500 : 200));
    const harness = await start(ALLOW_LOOPBACK);
    await createEvent(harness, receiver.url);
    await harness.log([{ task_id: "r1", input: "refund please", output: "ok" }]);
    runner!.start();
    const [job] = await until(async () => {
      const jobs = await webhookJobs(harness);
      return jobs[0]?.status === "done" ? jobs : false;
    });
    expect(job).toMatchObject({ status: "done", attempts: 3 });
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.body.delivery_id)).size).toBe(1);
  });

  it("shows the job failed with its error after the last attempt, keeps the detection, and retries on request", async () => {
    let healthy = false;
    receiver = await startReceiver(() => (healthy ? 200 : 503));
    const harness = await start(ALLOW_LOOPBACK);
    await createEvent(harness, receiver.url);
    await harness.log([{ task_id: "r1", input: "refund please", output: "ok" }]);
    runner!.start();
    const [failed] = await until(async () => {
      const jobs = await webhookJobs(harness);
      return jobs[0]?.status === "failed" ? jobs : false;
    });
    expect(failed).toMatchObject({ attempts: 3, last_error: "webhook answered 503" });
    expect(receiver.received).toHaveLength(3);
    expect(await detectionOf(harness, "r1")).toMatchObject({ present: 1 });
    const progress = await harness.get<{ failed: Array<{ id: string; kind: string; error: string }> }>(
      `/projects/${harness.projectId}/analytics/progress`,
    );
    expect(progress.body.failed).toEqual([
      expect.objectContaining({ kind: "webhook", error: "webhook answered 503" }),
    ]);

    healthy = true;
    const retried = await harness.send<{ retried: number }>(
      "POST",
      `/projects/${harness.projectId}/analytics/jobs/retry`,
      { kind: "webhook" },
    );
    expect(retried.body.retried).toBe(1);
    await until(async () => (await webhookJobs(harness))[0]?.status === "done");
    expect(receiver.received).toHaveLength(4);
  });

  it("retries a receiver that never answers after the timeout, then shows the job failed", async () => {
    receiver = await startReceiver(() => "hang");
    const harness = await start(ALLOW_LOOPBACK, ALLOW_LOOPBACK, 2);
    await createEvent(harness, receiver.url);
    await harness.log([{ task_id: "r1", input: "refund please", output: "ok" }]);
    runner!.start();
    const [failed] = await until(async () => {
      const jobs = await webhookJobs(harness);
      return jobs[0]?.status === "failed" ? jobs : false;
    });
    expect(failed).toMatchObject({ attempts: 2, last_error: "webhook unreachable: no reply within 300 ms" });
    expect(receiver.received).toHaveLength(2);
    expect(await detectionOf(harness, "r1")).toMatchObject({ present: 1 });
  });

  it("takes a 200 whose body never ends as delivered on its status, and the timeout then cuts the body", async () => {
    receiver = await startReceiver(() => "trickle");
    const harness = await start(ALLOW_LOOPBACK);
    await createEvent(harness, receiver.url);
    await harness.log([{ task_id: "r1", input: "refund please", output: "ok" }]);
    runner!.start();
    await until(async () => (await webhookJobs(harness))[0]?.status === "done");
    // The 300 ms timeout closes the reply while its body is still coming; the delivery stands.
    await until(() => receiver!.cut.count === 1 || false);
    expect(await webhookJobs(harness)).toMatchObject([{ status: "done", attempts: 1 }]);
    expect(receiver.received).toHaveLength(1);
  });

  it("refuses loopback, private, metadata and odd URLs with a 400 naming webhook_url", async () => {
    const harness = await start(DEFAULT_WEBHOOK_POLICY);
    const events = `/projects/${harness.projectId}/events`;
    const refused: Array<[string, RegExp]> = [
      [
        "http://127.0.0.1:8080/hook",
        /^webhook_url: 127\.0\.0\.1 is a loopback address \(set PHOSPHO_WEBHOOK_ALLOW_PRIVATE/,
      ],
      ["http://localhost/hook", /^webhook_url: localhost is a loopback name/],
      ["http://[::1]/hook", /^webhook_url: ::1 is a loopback address/],
      ["http://[::ffff:127.0.0.1]/hook", /^webhook_url: ::ffff:7f00:1 is a loopback address/],
      ["http://2130706433/hook", /^webhook_url: 127\.0\.0\.1 is a loopback address/],
      ["http://0.0.0.0/hook", /^webhook_url: 0\.0\.0\.0 is a loopback address/],
      ["http://10.1.2.3/hook", /^webhook_url: 10\.1\.2\.3 is a private-network address/],
      ["http://192.168.1.10/hook", /^webhook_url: 192\.168\.1\.10 is a private-network address/],
      ["http://[fd12::1]/hook", /^webhook_url: fd12::1 is a private-network address/],
      ["http://169.254.169.254/latest/meta-data", /^webhook_url: 169\.254\.169\.254 is a link-local/],
      ["https://user:secret@hooks.example.com/x", /^webhook_url: must not carry a user name or password/],
      ["ftp://hooks.example.com/x", /^invalid field webhook_url: must be an http\(s\) URL/],
    ];
    for (const [url, detail] of refused) {
      const reply = await harness.send<{ detail: string }>("POST", events, {
        name: "Hook",
        detector: "keywords",
        config: { keywords: ["x"] },
        webhook_url: url,
      });
      expect([url, reply.status]).toEqual([url, 400]);
      expect(reply.body.detail).toMatch(detail);
    }
    expect((await harness.get<{ events: unknown[] }>(events)).body.events).toEqual([]);

    // A public name is accepted (it does not resolve on an offline box: every call checks again).
    const ok = await createEvent(harness, "https://hooks.example.com/phospho");
    const patch = await h!.app.inject({
      method: "PATCH",
      url: `/api${events}/${ok.id}`,
      headers: { cookie: harness.cookie },
      payload: { webhook_url: "http://127.0.0.1:9/hook" },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json<{ detail: string }>().detail).toMatch(/^webhook_url: 127\.0\.0\.1 is a loopback/);
    expect((await harness.get<{ webhook_url: string }>(`${events}/${ok.id}`)).body.webhook_url).toBe(
      "https://hooks.example.com/phospho",
    );
  });

  it("never calls link-local metadata addresses, even when private networks are allowed", async () => {
    const harness = await start(ALLOW_LOOPBACK);
    const reply = await harness.send<{ detail: string }>("POST", `/projects/${harness.projectId}/events`, {
      name: "Hook",
      detector: "keywords",
      config: { keywords: ["x"] },
      webhook_url: "http://169.254.169.254/latest",
    });
    expect(reply.status).toBe(400);
    expect(reply.body.detail).toMatch(/^webhook_url: 169\.254\.169\.254 is a link-local/);
  });

  it("refuses at call time a URL the runner's policy forbids, without retrying and without a request", async () => {
    receiver = await startReceiver(() => 200);
    // Saved while private addresses were allowed; called by a collector that no longer allows them.
    const harness = await start(ALLOW_LOOPBACK, DEFAULT_WEBHOOK_POLICY);
    await createEvent(harness, receiver.url);
    await harness.log([{ task_id: "r1", input: "refund please", output: "ok" }]);
    runner!.start();
    const [failed] = await until(async () => {
      const jobs = await webhookJobs(harness);
      return jobs[0]?.status === "failed" ? jobs : false;
    });
    expect(failed).toMatchObject({ attempts: 1 });
    expect(failed!.last_error).toMatch(/^webhook refused: 127\.0\.0\.1 is a loopback address/);
    expect(receiver.received).toHaveLength(0);
  });

  it.skipIf(!nameIsLocal)(
    `refuses a host name that resolves to loopback (${name}), when saved and when called`,
    async () => {
      receiver = await startReceiver(() => 200);
      const harness = await start(ALLOW_LOOPBACK, DEFAULT_WEBHOOK_POLICY);
      const url = `http://${name}:${receiver.port}/hook`;
      const direct = await startHarness(engine, { webhooks: DEFAULT_WEBHOOK_POLICY });
      try {
        const reply = await direct.send<{ detail: string }>("POST", `/projects/${direct.projectId}/events`, {
          name: "Hook",
          detector: "keywords",
          config: { keywords: ["x"] },
          webhook_url: url,
        });
        expect(reply.status).toBe(400);
        expect(reply.body.detail).toMatch(new RegExp(`^webhook_url: ${name} resolves to 127\\.`));
      } finally {
        await direct.close();
      }

      await createEvent(harness, url);
      await harness.log([{ task_id: "r1", input: "refund please", output: "ok" }]);
      runner!.start();
      const [failed] = await until(async () => {
        const jobs = await webhookJobs(harness);
        return jobs[0]?.status === "failed" ? jobs : false;
      });
      expect(failed).toMatchObject({ attempts: 1 });
      expect(failed!.last_error).toMatch(new RegExp(`^webhook refused: ${name} resolves to 127\\.`));
      expect(receiver.received).toHaveLength(0);
    },
  );
});
