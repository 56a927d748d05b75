// init(): environment, defaults, clear configuration errors, disabling, and re-initialisation.

import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_BASE_URL, Phospho, PhosphoConfigError } from "../src/index.js";
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

  it("throws a PhosphoConfigError naming the option and the variable when the key is missing", () => {
    const attempt = () => new Phospho().init({ projectId: "p" });
    expect(attempt).toThrow(PhosphoConfigError);
    expect(attempt).toThrow(
      "PHOSPHO_API_KEY is not set: pass apiKey to phospho.init() or set the environment variable",
    );
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ name: "PhosphoConfigError", code: "config", option: "apiKey" });
    }
  });

  it("names PHOSPHO_PROJECT_ID when the project is missing", () => {
    expect(() => new Phospho().init({ apiKey: "k" })).toThrow(
      "PHOSPHO_PROJECT_ID is not set: pass projectId to phospho.init() or set the environment variable",
    );
  });

  it("rejects invalid numbers with the option's name", () => {
    expect(() => new Phospho().init({ apiKey: "k", projectId: "p", batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new Phospho().init({ apiKey: "k", projectId: "p", sampleRate: 2 })).toThrow(/sampleRate/);
  });

  it("PHOSPHO_DISABLED=1 makes every call a no-op that still resolves", async () => {
    process.env.PHOSPHO_DISABLED = "1";
    const client = new Phospho().init();
    const logged = await client.log({ input: "x", output: "y" });
    expect(logged.input).toBe("x");
    expect(await client.flush(100)).toBe(true);
    expect(client.stats().logged).toBe(0);
  });

  it("enabled: false needs no key", async () => {
    const client = new Phospho().init({ enabled: false });
    await client.log({ input: "x" });
    await client.userFeedback({ taskId: "t", flag: "success" });
    expect(client.stats().logged).toBe(0);
  });

  it("calling init again reconfigures without sending twice or leaking the old interval", async () => {
    const first = await startCollector();
    const second = await startCollector();
    const { client } = testClient(first, { flushIntervalMs: 60_000 });
    await client.log({ input: "to the first" });
    client.init({ apiKey: "k2", projectId: "proj2", baseUrl: second.url, flushIntervalMs: 50 });
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

  it("hashes pathToHash in the background into version_id, without delaying init", async () => {
    const collector = await startCollector();
    const { client } = testClient(collector, { pathToHash: new URL("../src", import.meta.url).pathname });
    const before = await client.log({ input: "immediately" });
    expect(before.version_id).toBeUndefined();
    let later = await client.log({ input: "later" });
    for (let i = 0; i < 100 && later.version_id === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      later = await client.log({ input: "later" });
    }
    expect(later.version_id).toMatch(/^[0-9a-f]{12}$/);
    await client.shutdown(2000);
    await collector.close();
  });
});
