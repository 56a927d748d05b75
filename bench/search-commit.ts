/**
 * Issue 11: what full-text indexing costs SQLite ingest, before and after migration 013. Two stores side by side
 * in one process: one migrated up to 012 (FTS5 trigram triggers inside every ingest transaction), one fully
 * migrated (a row in `search_pending` per task write; the indexer fills the index afterwards). The same events go
 * through the collector's own `KyselyStore.ingest` (validation-free store path: upsert, sessions, aggregates,
 * pricing, the commit), in alternating rounds so that both see the same machine load; 8 batches of 50 events are
 * in flight at once, as concurrent requests would be (group commit). Then the indexer drains the new store's log,
 * timed on its own: the work moved off the commit path, not removed.
 *
 *   npm run build -w packages/server && node --import tsx bench/search-commit.ts [--rounds 12] [--events 2000]
 *     [--target-ms N]   (the indexer's aimed step length; default: the collector's)
 *
 * Prints one JSON line: events/s of ingest CPU time and wall time for each schema, their ratio, and the
 * indexer's CPU per event.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { answer, question, rng, TOPICS } from "./lib/corpus-text.js";
import { repoRoot } from "./lib/paths.js";
import { storeEvent } from "./lib/store-events.js";

const { values } = parseArgs({
  options: { rounds: { type: "string" }, events: { type: "string" }, "target-ms": { type: "string" } },
});
const ROUNDS = Number(values.rounds ?? 12);
const EVENTS = Number(values.events ?? 2_000);
const BATCH = 50;
const IN_FLIGHT = 8;

const dist = (file: string) => pathToFileURL(path.join(repoRoot, "packages/server/dist", file)).href;
const { connect } = await import(dist("store/connect.js"));
const { migrate } = await import(dist("store/migrate.js"));
const { MIGRATIONS } = await import(dist("store/migrations/index.js"));
const { KyselyStore } = await import(dist("store/kysely-store.js"));
const { SearchIndexer } = await import(dist("search/index.js"));

interface Migration {
  name: string;
}

async function storeAt(file: string, upTo: string) {
  const connection = connect(file, { readers: 0 });
  const list = (MIGRATIONS as Migration[]).filter((m) => m.name <= upTo);
  await migrate(connection.db, connection.dialect, () => {}, list);
  const store = new KyselyStore(connection.db, connection.dialect);
  const project = await store.createProject("bench");
  return { store, projectId: project.id as string };
}

const r = rng(7);
let next = 0;
function events(n: number) {
  return Array.from({ length: n }, () => {
    const topic = TOPICS[Math.floor(r() * TOPICS.length)]!;
    const id = `task_${(next++).toString(36)}`;
    const prompt = 40 + Math.floor(r() * 400);
    return storeEvent(id, {
      session_id: `s_${Math.floor(next / 5)}`,
      input: question(r, topic),
      output: answer(r, topic),
      created_at: Date.now(),
      metadata: {
        model: "gpt-4o-mini",
        prompt_tokens: prompt,
        completion_tokens: 120,
        user_id: `u${id.length}`,
      },
    });
  });
}

type Opened = Awaited<ReturnType<typeof storeAt>>;
async function round({ store, projectId }: Opened, batch: ReturnType<typeof events>) {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < batch.length; i += BATCH * IN_FLIGHT) {
    const group = [];
    for (let j = i; j < Math.min(batch.length, i + BATCH * IN_FLIGHT); j += BATCH) {
      group.push(store.ingest(projectId, batch.slice(j, j + BATCH)));
    }
    await Promise.all(group);
  }
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - t0 };
}

const dir = mkdtempSync(path.join(tmpdir(), "phospho-search-commit-"));
try {
  const before = await storeAt(path.join(dir, "triggers.db"), "012_zzz");
  const after = await storeAt(path.join(dir, "pending.db"), "999");
  const totals = { before: { cpuMs: 0, wallMs: 0 }, after: { cpuMs: 0, wallMs: 0 } };
  // One warm-up round each, not counted.
  await round(before, events(BATCH * IN_FLIGHT));
  await round(after, events(BATCH * IN_FLIGHT));
  for (let k = 0; k < ROUNDS; k++) {
    const batch = events(EVENTS);
    // Alternate which goes first, so neither always runs on the warmer cache.
    const order = k % 2 === 0 ? (["before", "after"] as const) : (["after", "before"] as const);
    for (const which of order) {
      // The same events, new ids per store is not needed: the two stores are separate files.
      const { cpuMs, wallMs } = await round(which === "before" ? before : after, batch);
      totals[which].cpuMs += cpuMs;
      totals[which].wallMs += wallMs;
    }
  }
  const n = ROUNDS * EVENTS;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const targetMs = values["target-ms"] === undefined ? {} : { targetMs: Number(values["target-ms"]) };
  await new SearchIndexer(after.store, targetMs).drain();
  const drained = process.cpuUsage(cpu0);
  const indexCpuMs = (drained.user + drained.system) / 1000;
  const perSecond = (ms: number) => Math.round((n * 1000) / ms);
  console.log(
    JSON.stringify({
      events: n,
      rounds: ROUNDS,
      triggers: {
        cpuEventsPerS: perSecond(totals.before.cpuMs),
        wallEventsPerS: perSecond(totals.before.wallMs),
      },
      pending: {
        cpuEventsPerS: perSecond(totals.after.cpuMs),
        wallEventsPerS: perSecond(totals.after.wallMs),
      },
      cpuRatio: +(totals.before.cpuMs / totals.after.cpuMs).toFixed(2),
      wallRatio: +(totals.before.wallMs / totals.after.wallMs).toFixed(2),
      indexer: {
        cpuMsPerKEvents: +((indexCpuMs * 1000) / (n + BATCH * IN_FLIGHT)).toFixed(1),
        wallMs: Math.round(performance.now() - t0),
      },
      ingestCpuMsPerKEvents: {
        triggers: +((totals.before.cpuMs * 1000) / n).toFixed(1),
        pending: +((totals.after.cpuMs * 1000) / n).toFixed(1),
      },
    }),
  );
  await before.store.close();
  await after.store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
