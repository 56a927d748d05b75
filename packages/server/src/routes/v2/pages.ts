/**
 * Task lists read page by page from the store and cut at a byte budget, so that one reply (and the memory behind
 * it) stays bounded however large the tasks are: 600 tasks of 1 MB used to fail with `Invalid string length`, and
 * six parallel lists took the collector to 6 GB. The reply says where to go on (`next_offset`, null at the end).
 */
import type { TaskRow } from "../../store/types.js";
import { taskToWire } from "./shapes.js";

/** Rows read from the store per query while filling a reply. */
const PAGE_ROWS = 50;

export interface TaskPage {
  tasks: Array<ReturnType<typeof taskToWire>>;
  next_offset: number | null;
}

export async function readTaskPage(
  read: (limit: number, offset: number) => Promise<TaskRow[]>,
  page: { limit: number; offset: number; maxBytes: number },
): Promise<TaskPage> {
  const tasks: TaskPage["tasks"] = [];
  let bytes = 0;
  let offset = page.offset;
  for (;;) {
    const want = Math.min(PAGE_ROWS, page.limit - tasks.length);
    if (want <= 0) return { tasks, next_offset: offset };
    const rows = await read(want, offset);
    for (const row of rows) {
      const wire = taskToWire(row);
      const size = Buffer.byteLength(JSON.stringify(wire));
      if (tasks.length > 0 && bytes + size > page.maxBytes) return { tasks, next_offset: offset };
      tasks.push(wire);
      bytes += size;
      offset += 1;
    }
    if (rows.length < want) return { tasks, next_offset: null };
  }
}
