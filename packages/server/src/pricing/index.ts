/** Cost on every task: priced at ingest (inside the store's transaction), project overrides, background re-pricing. */
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import type { TaskRow } from "../store/types.js";
import { loadOverrides } from "./overrides.js";
import { priceTask } from "./price-task.js";

export { CATALOGUE, cataloguePrice } from "./catalogue.js";
export { loadOverrides, overridePrice, type ProjectPrice } from "./overrides.js";
export { priceTask, type CostColumns } from "./price-task.js";

function metadataOf(row: TaskRow): Record<string, unknown> {
  // Only a reported cost is read from the metadata; skip the parse when there is none.
  if (!row.metadata.includes('"cost_usd"')) return {};
  try {
    const parsed: unknown = JSON.parse(row.metadata);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Sets the cost columns of rows about to be written; one read of the project's overrides per call. */
export async function priceRows(
  db: Kysely<Database>,
  projectId: string,
  rows: Iterable<TaskRow>,
): Promise<void> {
  const list = [...rows];
  if (!list.some((row) => row.model !== null || row.metadata.includes('"cost_usd"'))) {
    for (const row of list) Object.assign(row, { cost_usd: null, cost_source: null, cost_prices: null });
    return;
  }
  const overrides = await loadOverrides(db, projectId);
  for (const row of list) Object.assign(row, priceTask(row, metadataOf(row), overrides));
}
