// Spooled events are re-delivered while the client runs, once the collector answers again, and a spool file
// is removed only after the collector's reply: a crash between the send and the removal re-sends (at least
// once), it never loses an event.

import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Phospho } from "../src/node.js";
import { startCollector, waitFor, type TestCollector } from "./helpers/collector.js";
import { testClient } from "./helpers/client.js";

let collector: TestCollector;
let dir: string;
const clients: Phospho[] = [];

beforeEach(async () => {
  collector = await startCollector();
  dir = await mkdtemp(join(tmpdir(), "phospho-redeliver-"));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.shutdown(200)));
  await collector.close();
  await rm(dir, { recursive: true, force: true });
});

async function spoolFiles(): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith("phospho-spool-") && n.endsWith(".json"));
}

/** Polls the spool directory until it holds no spool file. */
async function waitForEmptySpool(): Promise<void> {
  let empty = false;
  await waitFor(() => {
    void spoolFiles().then((files) => (empty = files.length === 0));
    return empty;
  });
}

function count(ids: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/**
 * Logs `n` events while the collector is down, flushing after every `perFlush` (so a small queue does not
 * overflow), and waits until they are all spooled.
 */
async function logWhileDown(client: Phospho, n: number, label: string, perFlush = n): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push((await client.log({ input: `${label} ${i}` })).task_id);
    if ((i + 1) % perFlush === 0 || i === n - 1) expect(await client.flush(10_000)).toBe(false);
  }
  await waitFor(() => client.stats().spooled === n);
  return ids;
}

describe("spool re-delivery while the client runs", () => {
  it("after the next successful send, delivers every spooled event once, in order, and empties the spool", async () => {
    await collector.stop();
    const { client } = testClient(collector, {
      spoolDir: dir,
      maxRetries: 1,
      batchSize: 2,
      // Slices of at most half the queue: 7 spooled events come back in several slices.
      maxQueueEvents: 4,
      // No timer tick (so no idle probe) during this test: only a successful send brings the spool back.
      flushIntervalMs: 60_000,
      retryMaxDelayMs: 60_000,
      retryInitialDelayMs: 20,
    });
    clients.push(client);
    const spooledIds = await logWhileDown(client, 7, "offline", 2);
    expect((await spoolFiles()).length).toBe(4); // one file per batch of 2
    expect(collector.events).toHaveLength(0);

    await collector.start();
    const live = (await client.log({ input: "back online" })).task_id;
    expect(await client.flush(5000)).toBe(true);
    await waitFor(() => collector.events.length >= 8);
    await waitForEmptySpool();

    const received = collector.eventIds();
    expect(received).toHaveLength(8);
    expect(new Set(received).size).toBe(8);
    expect(received[0]).toBe(live);
    // The spooled events come back in the order they were logged.
    expect(received.filter((id) => id !== live)).toEqual(spooledIds);
    expect(client.stats()).toMatchObject({
      logged: 8,
      sent: 8,
      spooled: 7,
      redelivered: 7,
      queued: 0,
      droppedTotal: 0,
    });
  });

  it("an idle client probes the spool and delivers it once the collector is back, without a new init", async () => {
    await collector.stop();
    const { client } = testClient(collector, {
      spoolDir: dir,
      maxRetries: 1,
      retryMaxDelayMs: 100,
    });
    clients.push(client);
    const ids = await logWhileDown(client, 5, "idle");

    await collector.start();
    await waitFor(() => collector.events.length >= 5);
    await waitForEmptySpool();
    const received = collector.eventIds();
    expect(received).toEqual(ids);
    expect(client.stats()).toMatchObject({ logged: 5, sent: 5, spooled: 5, redelivered: 5, droppedTotal: 0 });
  });

  it("a crash between the send and the removal re-sends the file once from another client, losing nothing", async () => {
    await collector.stop();
    // Client A's fetch reaches the collector but, in "crashed" mode, never returns the reply: A never learns
    // that the events were stored, exactly as if the process died between the send and the removal.
    let crashed = false;
    const crashingFetch = async (url: string, init: RequestInit): Promise<Response> => {
      const response = await fetch(url, init);
      if (!crashed) return response;
      await response.text();
      return new Promise<Response>(() => undefined);
    };
    const { client: a } = testClient(collector, {
      spoolDir: dir,
      maxRetries: 1,
      retryMaxDelayMs: 100,
      fetch: crashingFetch,
    });
    const ids = await logWhileDown(a, 4, "crash");
    expect(await spoolFiles()).toHaveLength(1);

    crashed = true;
    await collector.start();
    // A's probe sends the spooled events; the collector stores them; A hangs before removing the file.
    await waitFor(() => collector.events.length === 4);
    expect(await spoolFiles()).toHaveLength(1);

    // Client B on the same spoolDir (the process restarted) finds the file and sends it again.
    const { client: b } = testClient(collector, { spoolDir: dir });
    clients.push(b);
    await waitFor(() => collector.events.length >= 8);
    await waitForEmptySpool();

    // At least once, never lost: every task arrives, and the crash costs exactly one re-send of each, which
    // the collector's upsert by task_id turns into one task.
    const counts = count(collector.eventIds());
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    expect(collector.events).toHaveLength(8);
    expect([...counts.values()]).toEqual([2, 2, 2, 2]);
    expect(b.stats()).toMatchObject({ logged: 0, sent: 4, redelivered: 4, droppedTotal: 0 });
    expect(await a.shutdown(100)).toBe(false);
  });

  it("two clients sharing a spoolDir deliver every spooled event, and each file is read once per client", async () => {
    await collector.stop();
    const { client: writer } = testClient(collector, { spoolDir: dir, maxRetries: 0, batchSize: 3 });
    const ids = await logWhileDown(writer, 9, "shared");
    await writer.shutdown(100);
    expect(await spoolFiles()).toHaveLength(3);

    await collector.start();
    const { client: first } = testClient(collector, { spoolDir: dir });
    const { client: second } = testClient(collector, { spoolDir: dir });
    clients.push(first, second);
    await waitForEmptySpool();
    await waitFor(() => first.stats().queued === 0 && second.stats().queued === 0);
    await Promise.all([first.flush(5000), second.flush(5000)]);

    // Both may send the same file (the collector upserts); neither sends one twice, and nothing is lost.
    const counts = count(collector.eventIds());
    expect([...counts.keys()].sort()).toEqual([...ids].sort());
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
    const redelivered = first.stats().redelivered + second.stats().redelivered;
    expect(redelivered).toBe(collector.events.length);
  });

  it("hands back re-read events pushed out of a full queue (not counted as dropped) and delivers them later", async () => {
    await collector.stop();
    const { client: writer } = testClient(collector, { spoolDir: dir, maxRetries: 0, batchSize: 1 });
    const spooledIds = await logWhileDown(writer, 3, "pushed", 1);
    await writer.shutdown(100);
    expect(await spoolFiles()).toHaveLength(3);

    await collector.start();
    // The first request hangs until the client's timeout: the slice's two other events wait in the queue.
    collector.plan.push({ hang: true });
    const { client } = testClient(collector, {
      spoolDir: dir,
      batchSize: 1,
      maxQueueEvents: 6,
      requestTimeoutMs: 300,
    });
    clients.push(client);
    await waitFor(() => collector.requests.length >= 1);
    const liveIds: string[] = [];
    for (let i = 0; i < 6; i++) liveIds.push((await client.log({ input: `live ${i}` })).task_id);

    await waitFor(() => collector.events.length >= 9);
    await waitForEmptySpool();
    const counts = count(collector.eventIds());
    expect([...counts.keys()].sort()).toEqual([...spooledIds, ...liveIds].sort());
    expect(collector.events).toHaveLength(9);
    expect(client.stats()).toMatchObject({ logged: 6, sent: 9, redelivered: 3, droppedTotal: 0 });
  });

  it("keeps spooled events on disk when the collector refuses the key, and does not count them dropped", async () => {
    await collector.stop();
    const { client: writer } = testClient(collector, { spoolDir: dir, maxRetries: 0 });
    await logWhileDown(writer, 2, "refused");
    await writer.shutdown(100);

    await collector.start();
    collector.alwaysStatus = 401;
    const { client, errors } = testClient(collector, { spoolDir: dir });
    clients.push(client);
    await waitFor(() => collector.requests.length >= 1);
    await waitFor(() => errors.some((e) => e.code === "auth"));
    await client.flush(2000);
    expect(await spoolFiles()).toHaveLength(1);
    expect(client.stats()).toMatchObject({ sent: 0, redelivered: 0, droppedTotal: 0 });

    // Key fixed: the next start delivers them.
    delete collector.alwaysStatus;
    const { client: fixed } = testClient(collector, { spoolDir: dir });
    clients.push(fixed);
    await waitFor(() => collector.events.length === 2);
    await waitForEmptySpool();
  });

  it("moves a corrupt spool file aside and still delivers the others", async () => {
    await writeFile(join(dir, "phospho-spool-0000000000001-000000001-bad.json"), "{not json", "utf8");
    await writeFile(
      join(dir, "phospho-spool-0000000000002-000000001-good.json"),
      JSON.stringify([{ task_id: "t-good", input: "kept", project_id: "proj_test" }]),
      "utf8",
    );
    const { client, errors } = testClient(collector, { spoolDir: dir });
    clients.push(client);
    await waitFor(() => collector.events.length === 1);
    await waitForEmptySpool();
    expect(collector.eventIds()).toEqual(["t-good"]);
    expect(await readdir(dir)).toContain("corrupt-phospho-spool-0000000000001-000000001-bad.json");
    expect(errors.some((e) => (e as { reason?: string }).reason === "spool_corrupt")).toBe(true);
  });
});
