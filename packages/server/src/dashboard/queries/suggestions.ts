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
/**
 * Most metadata text the sample reads, in bytes, and the largest document it parses: with large metadata the
 * sample used to parse 2,000 full documents on every page load (over 60 s, health failing throughout).
 */
export const SAMPLE_BYTES = 4 * 1024 * 1024;
const SAMPLE_DOCUMENT_BYTES = 64 * 1024;
const SAMPLE_PAGE = 200;
/** A project's sample is reused for this long, ms: every page load asks for suggestions. */
const SAMPLE_TTL_MS = 30_000;
const MAX_CACHED_PROJECTS = 200;

const cache = new WeakMap<
  Store,
  Map<string, { at: number; sample: Promise<Array<Record<string, unknown>>> }>
>();

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

/** The newest tasks' metadata, up to SUGGESTION_SAMPLE documents and SAMPLE_BYTES of text, huge documents skipped. */
async function readSample(store: Store, projectId: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  let bytes = 0;
  for (let offset = 0; offset < SUGGESTION_SAMPLE && bytes < SAMPLE_BYTES; offset += SAMPLE_PAGE) {
    const rows = await store.db
      .selectFrom("tasks")
      .select("metadata")
      .where("project_id", "=", projectId)
      .orderBy("created_at", "desc")
      .limit(SAMPLE_PAGE)
      .offset(offset)
      .execute();
    for (const row of rows) {
      bytes += row.metadata.length;
      if (row.metadata.length > SAMPLE_DOCUMENT_BYTES) continue;
      try {
        const parsed: unknown = JSON.parse(row.metadata);
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
          out.push(parsed as Record<string, unknown>);
      } catch {
        // a row with unreadable metadata simply suggests nothing
      }
    }
    if (rows.length < SAMPLE_PAGE) break;
  }
  return out;
}

/** The sample, read at most once per SAMPLE_TTL_MS per project (concurrent page loads share one read). */
function sampleMetadata(store: Store, projectId: string, now = Date.now()) {
  let projects = cache.get(store);
  if (!projects) cache.set(store, (projects = new Map()));
  const hit = projects.get(projectId);
  if (hit && now - hit.at < SAMPLE_TTL_MS) return hit.sample;
  if (projects.size >= MAX_CACHED_PROJECTS) projects.clear();
  const sample = readSample(store, projectId);
  projects.set(projectId, { at: now, sample });
  sample.catch(() => projects.delete(projectId));
  return sample;
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
