/**
 * The raw-insert floor of wire ingest: the same rows the collector stores, inserted with better-sqlite3 into a
 * table with only its primary key, in 500-row transactions, WAL and the collector's pragmas. Ingest is compared
 * to it in the same run.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { e2eRow, TASK_COLUMNS } from "../../lib/rows.js";
import { openSqlite, sqliteTaskInserter } from "../../lib/store.js";

export function rawInsertFloor(dir: string, rows: number, batch = 500): number {
  const db = openSqlite(path.join(dir, `floor-${Date.now()}-${Math.random()}.db`));
  try {
    db.exec(`CREATE TABLE tasks (${TASK_COLUMNS.join(", ")}, PRIMARY KEY (project_id, id))`);
    const insert = sqliteTaskInserter(db);
    const now = Date.now();
    const t0 = performance.now();
    for (let i = 0; i < rows; i += batch) {
      insert(
        Array.from({ length: Math.min(batch, rows - i) }, (_, j) =>
          e2eRow("bench_project", randomUUID(), i + j, now),
        ),
      );
    }
    return rows / ((performance.now() - t0) / 1000);
  } finally {
    db.close();
  }
}
