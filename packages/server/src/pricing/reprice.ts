/**
 * Background re-pricing after a project's prices change. Durable: the request is a marker row in `settings`
 * (`pricing.reprice:["project","model"]`, value: the sweep's position), so a restart resumes where the sweep
 * stopped; each chunk of 500 tasks is re-priced in one write transaction that also moves the tasks'
 * contributions in the session totals and the aggregates, and advances the marker. Re-pricing a chunk twice
 * changes nothing, so two replicas sweeping together are harmless.
 */
import { applyAggregateChanges, type TaskChange } from "../aggregates/index.js";
import type { KyselyStore } from "../store/kysely-store.js";
import { applySessionChanges } from "../store/session-totals.js";
import { updateChangedColumns } from "../store/task-update.js";
import type { TaskRow } from "../store/types.js";
import { priceRows } from "./index.js";

const PREFIX = "pricing.reprice:";
const CHUNK = 500;

interface Marker {
  key: string;
  projectId: string;
  /** Null: every model of the project. */
  model: string | null;
  after: [number, number, string] | null;
}

/** Asks for the project's tasks of `model` (null: all) to be re-priced, from the start. Inside a write. */
export function repriceMarker(projectId: string, model: string | null) {
  return { key: `${PREFIX}${JSON.stringify([projectId, model])}`, value: JSON.stringify({ after: null }) };
}

async function nextMarker(store: KyselyStore): Promise<Marker | null> {
  const row = await store.db
    .selectFrom("settings")
    .select(["key", "value"])
    .where("key", ">=", PREFIX)
    .where("key", "<", `${PREFIX}\u{10ffff}`)
    .orderBy("key")
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const [projectId, model] = JSON.parse(row.key.slice(PREFIX.length)) as [string, string | null];
  const { after } = JSON.parse(row.value) as { after: [number, number, string] | null };
  return { key: row.key, projectId, model, after };
}

/** Re-prices one chunk of the first pending request; false when there is none left. */
export async function repriceStep(store: KyselyStore): Promise<boolean> {
  const marker = await nextMarker(store);
  if (!marker) return false;
  await store.queue.run(async (trx) => {
    let query = trx.selectFrom("tasks").selectAll().where("project_id", "=", marker.projectId);
    if (marker.model !== null) query = query.where("model", "=", marker.model);
    // In the time index's order (created_at, received_at, id), so a chunk is an index range, not a sort.
    if (marker.after) {
      const [createdAt, receivedAt, id] = marker.after;
      query = query.where((eb) =>
        eb(eb.refTuple("created_at", "received_at", "id"), ">", eb.tuple(createdAt, receivedAt, id)),
      );
    }
    query = query.orderBy("created_at").orderBy("received_at").orderBy("id").limit(CHUNK);
    const before: TaskRow[] = await (store.dialect === "postgres" ? query.forUpdate() : query).execute();
    const after = before.map((row) => ({ ...row }));
    await priceRows(trx, marker.projectId, after);
    const changes: TaskChange[] = [];
    for (const [index, row] of after.entries()) {
      const old = before[index]!;
      if (await updateChangedColumns(trx, old, { ...row, updated_at: old.updated_at })) {
        changes.push({ before: old, after: row });
      }
    }
    await applySessionChanges(trx, store.dialect, marker.projectId, changes, store.shard);
    await applyAggregateChanges(trx, store.dialect, marker.projectId, changes, store.shard);
    const last = before.at(-1);
    // The marker may have been reset meanwhile by a newer price change: only advance the one we read.
    const current = await trx
      .selectFrom("settings")
      .select("value")
      .where("key", "=", marker.key)
      .executeTakeFirst();
    if (!current || current.value !== JSON.stringify({ after: marker.after })) return;
    if (before.length < CHUNK || !last) {
      await trx.deleteFrom("settings").where("key", "=", marker.key).execute();
    } else {
      await trx
        .updateTable("settings")
        .set({
          value: JSON.stringify({ after: [Number(last.created_at), Number(last.received_at), last.id] }),
        })
        .where("key", "=", marker.key)
        .execute();
    }
  });
  return true;
}

/** Runs every pending re-pricing to its end (tests, and the CLI). */
export async function repriceAll(store: KyselyStore): Promise<void> {
  while (await repriceStep(store)) {
    // one chunk per transaction, so ingest interleaves
  }
}

/** Pending re-pricing requests, for the API. */
export async function pendingRepricing(store: KyselyStore, projectId: string): Promise<Array<string | null>> {
  const rows = await store.db
    .selectFrom("settings")
    .select("key")
    .where("key", ">=", `${PREFIX}${JSON.stringify([projectId]).slice(0, -1)}`)
    .where("key", "<", `${PREFIX}\u{10ffff}`)
    .execute();
  return rows
    .map((row) => JSON.parse(row.key.slice(PREFIX.length)) as [string, string | null])
    .filter(([project]) => project === projectId)
    .map(([, model]) => model);
}

/**
 * The sweeper of a running collector: a chunk whenever a request is pending, else a look every `idleMs`.
 * Errors (the store away) are retried at the next look.
 */
export function startRepricer(store: KyselyStore, idleMs = 1000): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      let more = false;
      try {
        more = await repriceStep(store);
      } catch {
        more = false;
      }
      if (!stopped) timer = setTimeout(tick, more ? 0 : idleMs).unref();
    })();
  };
  timer = setTimeout(tick, idleMs).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
