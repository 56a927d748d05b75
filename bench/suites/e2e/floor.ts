/**
 * The floor of the end-to-end benchmark, alone in its process: the same rows inserted straight into a migrated
 * store with the collector's driver, in transactions of `--batch` rows (the SDK's batch size). Prints `{ ms }`.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { e2eRow, TASK_COLUMNS } from "../../lib/rows.js";
import { openSqlite, pgInsertRows, sqliteTaskInserter } from "../../lib/store.js";

const { values } = parseArgs({
  options: {
    db: { type: "string" },
    project: { type: "string" },
    n: { type: "string", default: "10000" },
    batch: { type: "string", default: "50" },
  },
});
const n = Number(values.n);
const batch = Number(values.batch);
const url = values.db ?? "";
const project = values.project ?? "bench_project";

// Rows are built inside the timed loop, as the collector builds its rows from each request.
const rowsFor = (start: number) => {
  const now = Date.now();
  return Array.from({ length: Math.min(batch, n - start) }, (_, j) =>
    e2eRow(project, randomUUID(), start + j, now),
  );
};

let ms: number;
if (url.startsWith("postgres")) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t0 = performance.now();
  for (let i = 0; i < n; i += batch) await pgInsertRows(client, "tasks", TASK_COLUMNS, rowsFor(i));
  ms = performance.now() - t0;
  await client.end();
} else {
  const db = openSqlite(url);
  const insert = sqliteTaskInserter(db);
  const t0 = performance.now();
  for (let i = 0; i < n; i += batch) insert(rowsFor(i));
  ms = performance.now() - t0;
  db.close();
}
process.stdout.write(`${JSON.stringify({ ms })}\n`);
