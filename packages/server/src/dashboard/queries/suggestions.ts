/**
 * Suggestions for the filter inputs: metadata keys and values, and the distinct models, versions, environments.
 * Metadata is JSON text, so keys and values are read from a sample of the newest tasks and counted in
 * TypeScript: the same code on both engines, and a bounded cost however large the project.
 */
import type { Store } from "../../store/types.js";
import type { Suggestion } from "../api-types.js";
import { DERIVED_KEYS } from "./derived-keys.js";

/** How many of the newest tasks the metadata suggestions look at. */
export const SUGGESTION_SAMPLE = 2000;
const MAX_SUGGESTIONS = 50;

function scalarText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

function top(counts: Map<string, number>): Suggestion[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_SUGGESTIONS)
    .map(([value, count]) => ({ value, count }));
}

async function sampleMetadata(store: Store, projectId: string): Promise<Array<Record<string, unknown>>> {
  const rows = await store.db
    .selectFrom("tasks")
    .select("metadata")
    .where("project_id", "=", projectId)
    .orderBy("created_at", "desc")
    .limit(SUGGESTION_SAMPLE)
    .execute();
  const out: Array<Record<string, unknown>> = [];
  for (const row of rows) {
    try {
      const parsed: unknown = JSON.parse(row.metadata);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
        out.push(parsed as Record<string, unknown>);
    } catch {
      // a row with unreadable metadata simply suggests nothing
    }
  }
  return out;
}

export async function metadataKeys(store: Store, projectId: string) {
  const counts = new Map<string, number>();
  for (const meta of await sampleMetadata(store, projectId)) {
    for (const [key, value] of Object.entries(meta)) {
      if (scalarText(value) !== null && !DERIVED_KEYS.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return top(counts);
}

export async function metadataValues(store: Store, projectId: string, key: string) {
  const counts = new Map<string, number>();
  for (const meta of await sampleMetadata(store, projectId)) {
    const text = scalarText(meta[key]);
    if (text !== null) counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return top(counts);
}

/** Distinct values of an indexed column, most frequent first. */
export async function columnValues(
  store: Store,
  projectId: string,
  column: "model" | "version_id" | "environment" | "user_id",
): Promise<Suggestion[]> {
  const rows = await store.db
    .selectFrom("tasks")
    .select((eb) => [eb.ref(column).as("value"), eb.fn.countAll<number>().as("count")])
    .where("project_id", "=", projectId)
    .where(column, "is not", null)
    .groupBy(column)
    .orderBy((eb) => eb.fn.countAll(), "desc")
    .limit(MAX_SUGGESTIONS)
    .execute();
  return rows.map((row) => ({ value: String(row.value), count: Number(row.count) }));
}
