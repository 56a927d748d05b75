// The per-file setup shared by the SDK's integration tests: a test collector (and, with
// `useCollectorAndProvider`, the fake provider and a real `openai` client pointed at it), started once before
// the file's tests, emptied of what it recorded before each test, and closed after the file.
//
// The hooks are registered where the function is called, so call it at the top of the test file, before the
// file's own hooks: its `afterAll` then runs after theirs (Vitest runs after-hooks in reverse order).

import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startCollector, type TestCollector } from "./collector.js";
import { startFakeProvider, type FakeProvider } from "./fake-openai.js";

/** Filled in by `beforeAll`; read its fields inside tests and hooks, not at the top level of a file. */
export interface CollectorSetup {
  collector: TestCollector;
}

export interface ProviderSetup extends CollectorSetup {
  fake: FakeProvider;
  openai: OpenAI;
}

/** Forgets every request, event and feedback the collector recorded, and any scripted failure. */
export function resetCollector(collector: TestCollector): void {
  collector.events.length = 0;
  collector.requests.length = 0;
  collector.feedback.length = 0;
  collector.plan.length = 0;
  delete collector.alwaysStatus;
}

export function useCollector(): CollectorSetup {
  const setup = {} as CollectorSetup;
  beforeAll(async () => {
    setup.collector = await startCollector();
  });
  afterAll(async () => {
    await setup.collector.close();
  });
  beforeEach(() => resetCollector(setup.collector));
  return setup;
}

export function useCollectorAndProvider(): ProviderSetup {
  const setup = useCollector() as ProviderSetup;
  beforeAll(async () => {
    setup.fake = await startFakeProvider();
    setup.openai = new OpenAI({ apiKey: "sk-fake", baseURL: setup.fake.openaiBaseUrl, maxRetries: 0 });
  });
  afterAll(async () => {
    await setup.fake.close();
  });
  return setup;
}
