// The optional durable spool: events that cannot be delivered are written to disk and sent at next start.

import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startCollector, waitFor, type TestCollector } from "./helpers/collector.js";
import { testClient } from "./helpers/client.js";

let collector: TestCollector;
let dir: string;

beforeEach(async () => {
  collector = await startCollector();
  dir = await mkdtemp(join(tmpdir(), "phospho-spool-"));
});
afterEach(async () => {
  await collector.close();
  await rm(dir, { recursive: true, force: true });
});

describe("spoolDir", () => {
  it("creates the spool folder 0700 and its files 0600", async () => {
    await collector.stop();
    const folder = join(dir, "private");
    const { client } = testClient(collector, { spoolDir: folder, maxRetries: 1 });
    await client.log({ input: "secret prompt" });
    expect(await client.flush(5000)).toBe(false);
    await client.shutdown(500);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    const files = (await readdir(folder)).filter((n) => n.endsWith(".json"));
    expect(files).toHaveLength(1);
    expect((await stat(join(folder, files[0]!))).mode & 0o777).toBe(0o600);
  });

  it("spools undeliverable events and delivers them at the next start", async () => {
    await collector.stop();
    const { client } = testClient(collector, { spoolDir: dir, maxRetries: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await client.log({ input: `offline ${i}` })).task_id);
    expect(await client.flush(5000)).toBe(false);
    await client.shutdown(500);
    expect(client.stats()).toMatchObject({ logged: 3, sent: 0, spooled: 3, droppedTotal: 0 });
    expect((await readdir(dir)).filter((n) => n.endsWith(".json"))).toHaveLength(1);

    await collector.start();
    const { client: next } = testClient(collector, { spoolDir: dir });
    await waitFor(() => collector.events.length === 3);
    expect(collector.eventIds()).toEqual(ids);
    // The file is removed after the collector's reply, in the background.
    let files: string[] = ["?"];
    await waitFor(() => {
      void readdir(dir).then((names) => (files = names));
      return files.length === 0;
    });
    await next.shutdown(1000);
    expect(next.stats()).toMatchObject({ sent: 3, redelivered: 3, logged: 0 });
  });

  it("is bounded in bytes: beyond maxSpoolBytes events are dropped and counted", async () => {
    await collector.stop();
    const { client, errors } = testClient(collector, {
      spoolDir: dir,
      maxRetries: 0,
      maxSpoolBytes: 600,
      batchSize: 1,
    });
    await client.log({ input: "small" });
    await client.flush(5000);
    await client.log({ input: "x".repeat(2000) });
    await client.flush(5000);
    await client.shutdown(100);
    expect(client.stats()).toMatchObject({ spooled: 1, dropped: { spool_full: 1 } });
    expect(errors.some((e) => (e as { reason?: string }).reason === "spool_full")).toBe(true);
    await collector.start();
  });
});
