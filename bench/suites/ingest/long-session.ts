/**
 * One long session fed 10 tasks at a time, straight into the collector's store (the built
 * `packages/server/dist/store`): the rate of the first 2,000 tasks against the last 2,000. Before issue 11 every
 * batch reloaded its whole session, so the rate fell with the session's length; now the work per event must
 * not depend on it. Figures to report, not a test.
 *
 *   node --import tsx bench/suites/ingest/long-session.ts [tasks] [sqlite|postgres]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { serverStoreEntry, requirePart } from "../../lib/paths.js";
import { createTempDatabase } from "../../lib/postgres.js";
import { storeEvent } from "../../lib/store-events.js";

const BATCH = 10;
const WINDOW = 2000;
const T0 = 1_700_000_000_000;

interface IngestingStore {
  createProject(name: string): Promise<{ id: string }>;
  ingest(projectId: string, events: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export interface LongSessionResult {
  tasks: number;
  firstRate: number;
  lastRate: number;
}

function eventAt(i: number) {
  return storeEvent(`t${i}`, {
    session_id: "one-long-session",
    input: `question number ${i} about the weather in Paris`,
    output: `answer number ${i}: sunny`,
    created_at: T0 + i * 1000,
    metadata: {
      model: "gpt-4o-mini",
      prompt_tokens: 20,
      completion_tokens: 5,
      latency_ms: 300 + (i % 50),
      user_id: "u1",
    },
  });
}

export async function measureLongSession(
  url: string,
  tasks: number,
  progress: (message: string) => void = () => {},
): Promise<LongSessionResult> {
  const file = requirePart("The collector's store (packages/server)", serverStoreEntry);
  const mod = (await import(pathToFileURL(file).href)) as {
    openStore(url: string, options?: { warn?: (m: string) => void }): Promise<IngestingStore>;
  };
  const store = await mod.openStore(url, { warn: () => {} });
  try {
    const { id } = await store.createProject("long session");
    let firstRate = 0;
    let windowStart = performance.now();
    let lastRate = 0;
    for (let start = 0; start < tasks; start += BATCH) {
      if (start === tasks - WINDOW) windowStart = performance.now();
      await store.ingest(
        id,
        Array.from({ length: BATCH }, (_, k) => eventAt(start + k)),
      );
      const done = start + BATCH;
      if (done === WINDOW) firstRate = WINDOW / ((performance.now() - windowStart) / 1000);
      if (done % 10_000 === 0) progress(`long session: ${done}/${tasks}`);
    }
    lastRate = WINDOW / ((performance.now() - windowStart) / 1000);
    return { tasks, firstRate, lastRate };
  } finally {
    await store.close();
  }
}

/** A fresh database of the engine for one measurement. */
export async function withFreshDatabase<T>(engine: string, fn: (url: string) => Promise<T>): Promise<T> {
  if (engine === "postgres") {
    const tmp = await createTempDatabase("phospho_bench_long");
    try {
      return await fn(tmp.url);
    } finally {
      await tmp.drop();
    }
  }
  const dir = mkdtempSync(path.join(tmpdir(), "phospho-long-"));
  try {
    return await fn(path.join(dir, "long.db"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const tasks = Number(process.argv[2] ?? 100_000);
  const engine = process.argv[3] ?? "sqlite";
  const result = await withFreshDatabase(engine, (url) =>
    measureLongSession(url, tasks, (m) => console.error(m)),
  );
  console.log(
    `${engine}: one session of ${tasks} tasks, ${BATCH} a time: first ${WINDOW} at ${result.firstRate.toFixed(0)} tasks/s, ` +
      `last ${WINDOW} at ${result.lastRate.toFixed(0)} tasks/s (ratio ${(result.lastRate / result.firstRate).toFixed(2)})`,
  );
}
