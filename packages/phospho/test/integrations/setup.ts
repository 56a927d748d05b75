// Per-file setup of the wrapper tests: the test collector (shared helper), the fake providers, and a fresh
// `Phospho` client per test pointed at the collector.

import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import type { Phospho } from "../../src/index.js";
import { testClient } from "../helpers/client.js";
import { useCollector, type CollectorSetup } from "../helpers/servers.js";
import { type FakeProviders, startFakeProviders } from "./fake-providers.js";

export interface WrapperSetup extends CollectorSetup {
  fake: FakeProviders;
  client: Phospho;
  /** Flushes the client, then returns what the collector stored. */
  tasks(): Promise<Array<Record<string, unknown>>>;
}

export function useWrapperSetup(): WrapperSetup {
  const setup = useCollector() as WrapperSetup;
  beforeAll(async () => {
    setup.fake = await startFakeProviders();
  });
  afterAll(async () => {
    await setup.fake.close();
  });
  beforeEach(() => {
    setup.fake.reset();
    setup.client = testClient(setup.collector).client;
  });
  afterEach(async () => {
    await setup.client.shutdown(2000);
  });
  setup.tasks = async () => {
    expect(await setup.client.flush(5000)).toBe(true);
    return setup.collector.events;
  };
  return setup;
}

/**
 * A flat field of a logged event (`latency_ms`, `cache_read_tokens`, …) as the collector stores it: it moves
 * unknown top-level keys into `metadata`, and explicit `metadata` keys win over them.
 */
export function field(event: Record<string, unknown> | undefined, name: string): unknown {
  if (!event) return undefined;
  const metadata = event.metadata as Record<string, unknown> | undefined;
  return metadata?.[name] ?? event[name];
}

/** The flat fields named, as one object, for `toMatchObject`. */
export function fields(event: Record<string, unknown> | undefined, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, field(event, name)]));
}

export const TOKEN_FIELDS = [
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
];
