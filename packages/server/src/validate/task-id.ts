/**
 * Ids for events sent without a `task_id`: `task_` and 32 hex digits, as before, but the first 12 digits are the
 * time in ms and the other 20 are random (80 bits). Time-ordered ids land at the end of the task indexes keyed
 * by id (the primary key and `tasks_id`) instead of at a random place: with random ids every insert of a batch
 * dirtied its own index pages, each written to the WAL at the commit. Measured in-process on batches of 500 into
 * a fresh SQLite store: 86-88 -> 71-74 µs of store CPU per event, the INSERT and the commit both cheaper.
 * Ids stay unguessable (80 random bits); the time they show is the task's own `received_at`.
 */
import { randomBytes } from "node:crypto";

const RANDOM_BYTES = 10;
/** Random bytes drawn 4 KiB at a time: one call per ~400 ids rather than one per id. */
let pool = Buffer.alloc(0);
let offset = 0;

export function newTaskId(now = Date.now()): string {
  if (offset + RANDOM_BYTES > pool.length) {
    pool = randomBytes(4_096);
    offset = 0;
  }
  const id = `task_${now.toString(16).padStart(12, "0")}${pool.toString("hex", offset, offset + RANDOM_BYTES)}`;
  offset += RANDOM_BYTES;
  return id;
}
