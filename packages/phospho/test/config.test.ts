// init(): environment, defaults, clear configuration errors, disabling, and re-initialisation.

import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_BASE_URL, Phospho, PhosphoConfigError, type PhosphoError } from "../src/node.js";
import { startCollector, waitFor } from "./helpers/collector.js";
import { testClient } from "./helpers/client.js";

const ENV = ["PHOSPHO_API_KEY", "PHOSPHO_PROJECT_ID", "PHOSPHO_BASE_URL", "PHOSPHO_DISABLED"];

afterEach(() => {
  for (const name of ENV) delete process.env[name];
});

describe("init", () => {
  it("defaults to the local collector", () => {
    expect(DEFAULT_BASE_URL).toBe("http://127.0.0.1:7878/v2");
  });

  it("strict: true throws a PhosphoConfigError naming the option and the variable when the key is missing", () => {
    const attempt = () => new Phospho().init({ projectId: "p", strict: true });
    expect(attempt).toThrow(PhosphoConfigError);
    expect(attempt).toThrow(
      "PHOSPHO_API_KEY is not set: pass apiKey to phospho.init() or set the environment variable",
    );
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ name: "PhosphoConfigError", code: "config", option: "apiKey" });
    }
    expect(() => new Phospho().init({ apiKey: "k", strict: true })).toThrow(
      "PHOSPHO_PROJECT_ID is not set: pass projectId to phospho.init() or set the environment variable",
    );
  });

  it("without strict, a missing key never throws: reported once, every log a no-op counted as not_configured", async () => {
    const errors: PhosphoError[] = [];
    const client = new Phospho();
    const ready = client.init({ projectId: "p", onError: (error) => errors.push(error) });
    await expect(ready).resolves.toBeUndefined();
    expect(client.isInitialized()).toBe(false);
    const logged = await client.log({ input: "x", output: "y" });
    await client.log({ input: "x2" });
    expect(logged.input).toBe("x");
    expect(client.stats().dropped).toEqual({ not_configured: 2 });
    expect(client.stats().logged).toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      name: "PhosphoConfigError",
      option: "apiKey",
      envVar: "PHOSPHO_API_KEY",
    });
    expect(errors[0]?.message).toContain("PHOSPHO_API_KEY is not set");
    expect(errors[0]?.message).toContain("not_configured");
    expect(await client.userFeedback({ taskId: logged.task_id, flag: "success" })).toBeUndefined();
    expect(await client.flush(100)).toBe(true);
  });

  it("a missing project id with no onError warns once on the console, naming PHOSPHO_PROJECT_ID", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const client = new Phospho();
      await client.init({ apiKey: "k" });
      await client.log({ input: "a" });
      await client.log({ input: "b" });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain("PHOSPHO_PROJECT_ID is not set");
    } finally {
      warn.mockRestore();
    }
  });

  it("init() returns a Promise: await and .then both work", async () => {
    const collector = await startCollector();
    const client = new Phospho();
    let thenCalled = false;
    await client
      .init({ apiKey: "k", projectId: "p", baseUrl: collector.url, flushIntervalMs: 50 })
      .then(() => {
        thenCalled = true;
      });
    expect(thenCalled).toBe(true);
    expect(client.isInitialized()).toBe(true);
    await client.shutdown(1000);
    await collector.close();
  });

  it("rejects invalid numbers with the option's name", () => {
    expect(() => new Phospho().init({ apiKey: "k", projectId: "p", batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new Phospho().init({ apiKey: "k", projectId: "p", sampleRate: 2 })).toThrow(/sampleRate/);
  });

  it("PHOSPHO_DISABLED=1 makes every call a no-op that still resolves", async () => {
    process.env.PHOSPHO_DISABLED = "1";
    const client = new Phospho();
    await client.init();
    const logged = await client.log({ input: "x", output: "y" });
    expect(logged.input).toBe("x");
    expect(await client.flush(100)).toBe(true);
    expect(client.stats().logged).toBe(0);
  });

  it("enabled: false needs no key", async () => {
    const client = new Phospho();
    await client.init({ enabled: false });
    await client.log({ input: "x" });
    await client.userFeedback({ taskId: "t", flag: "success" });
    expect(client.stats().logged).toBe(0);
  });

  it("calling init again reconfigures without sending twice or leaking the old interval", async () => {
    const first = await startCollector();
    const second = await startCollector();
    const { client } = testClient(first, { flushIntervalMs: 60_000 });
    await client.log({ input: "to the first" });
    await client.init({ apiKey: "k2", projectId: "proj2", baseUrl: second.url, flushIntervalMs: 50 });
    await client.log({ input: "to the second" });
    expect(await client.flush(5000)).toBe(true);
    await waitFor(() => first.events.length === 1 && second.events.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(first.events.map((e) => e.input)).toEqual(["to the first"]);
    expect(second.events.map((e) => e.input)).toEqual(["to the second"]);
    expect(first.requests).toHaveLength(1);
    expect(second.requests).toHaveLength(1);
    await client.shutdown(1000);
    await first.close();
    await second.close();
  });

  it("hashes pathToHash (a directory, a list, or null) into version_id; init() resolves once it is ready", async () => {
    const collector = await startCollector();
    const src = new URL("../src", import.meta.url).pathname;
    const test = new URL("../test", import.meta.url).pathname;
    const versions: Array<string | undefined> = [];
    for (const pathToHash of [src, [src, test], [test, src], null]) {
      const client = new Phospho();
      await client.init({ apiKey: "k", projectId: "p", baseUrl: collector.url, pathToHash });
      expect(client.pathToHash).toEqual(pathToHash);
      versions.push((await client.log({ input: "x" })).version_id);
      await client.shutdown(1000);
    }
    expect(versions[0]).toMatch(/^[0-9a-f]{12}$/);
    expect(versions[1]).toMatch(/^[0-9a-f]{12}$/);
    expect(versions[1]).not.toBe(versions[0]);
    expect(versions[2]).toBe(versions[1]);
    expect(versions[3]).toBeUndefined();
    await collector.close();
  });

  it("tick sets the send interval (phospho 1.3's name), flushIntervalMs wins over it", async () => {
    const client = new Phospho();
    await client.init({ apiKey: "k", projectId: "p", tick: 250 });
    expect(client.tick).toBe(250);
    await client.init({ apiKey: "k", projectId: "p", tick: 250, flushIntervalMs: 70 });
    expect(client.tick).toBe(70);
    await client.shutdown(100);
  });
});
