/** The `steps` table: upserts by `(project_id, task_id, id)`, log records joined by span id, and reads. */
import type { Kysely, Selectable, Transaction } from "kysely";
import { chunks } from "../store/chunks.js";
import { parseJson, parseObject } from "../store/derive.js";
import type { Database, StepsTable } from "../store/schema.js";
import { STEP_TEXT_LIMIT, attributesJson, contentJson, cutText } from "./truncate.js";
import type { ChatMessage, Step, StepKind, StepLogEntry, StepStatus, StoredStep } from "./types.js";

/** Rows per multi-row INSERT: 24 columns each stays far below SQLite's bound-variable limit. */
const INSERT_CHUNK = 200;

type StepRow = Selectable<StepsTable>;
type Db = Kysely<Database> | Transaction<Database>;

const SPAN_COLUMNS = [
  "parent_id",
  "name",
  "kind",
  "started_at",
  "ended_at",
  "model",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "ttft_ms",
  "input",
  "output",
  "status",
  "error",
  "attributes",
  "has_span",
] as const;

function toRow(projectId: string, taskId: string, step: Step): StepRow {
  return {
    project_id: projectId,
    task_id: taskId,
    id: step.id,
    parent_id: step.parent_id,
    name: cutText(step.name, STEP_TEXT_LIMIT),
    kind: step.kind,
    started_at: step.started_at,
    ended_at: step.ended_at,
    model: step.model,
    prompt_tokens: step.prompt_tokens,
    completion_tokens: step.completion_tokens,
    total_tokens: step.total_tokens,
    cache_read_tokens: step.cache_read_tokens,
    cache_write_tokens: step.cache_write_tokens,
    reasoning_tokens: step.reasoning_tokens,
    ttft_ms: step.ttft_ms,
    input: contentJson(step.input),
    output: contentJson(step.output),
    status: step.status,
    error: step.error === null ? null : cutText(step.error, STEP_TEXT_LIMIT),
    attributes: attributesJson(step.attributes),
    logs: null,
    has_span: 1,
  };
}

/** Upserts the steps of one task: a step sent again replaces the stored one (its joined log records stay). */
export async function writeSteps(
  trx: Transaction<Database>,
  projectId: string,
  taskId: string,
  steps: Step[],
): Promise<void> {
  for (const part of chunks(steps, INSERT_CHUNK)) {
    await trx
      .insertInto("steps")
      .values(part.map((step) => toRow(projectId, taskId, step)))
      .onConflict((conflict) =>
        conflict
          .columns(["project_id", "task_id", "id"])
          .doUpdateSet((eb) => Object.fromEntries(SPAN_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)]))),
      )
      .execute();
  }
}

/**
 * Joins message content to steps by span id. Entries already stored are kept once (a request sent twice adds
 * nothing); a span that has not arrived yet gets a placeholder row (`has_span = 0`).
 */
export async function attachLogs(
  trx: Transaction<Database>,
  projectId: string,
  taskId: string,
  logs: Map<string, StepLogEntry[]>,
): Promise<void> {
  const ids = [...logs.keys()];
  const stored = new Map<string, string | null>();
  for (const part of chunks(ids)) {
    const rows = await trx
      .selectFrom("steps")
      .select(["id", "logs"])
      .where("project_id", "=", projectId)
      .where("task_id", "=", taskId)
      .where("id", "in", part)
      .execute();
    for (const row of rows) stored.set(row.id, row.logs);
  }
  for (const [id, entries] of logs) {
    const merged = new Map<string, StepLogEntry>();
    const before = parseJson(stored.get(id) ?? null);
    for (const entry of [...(Array.isArray(before) ? (before as StepLogEntry[]) : []), ...entries]) {
      merged.set(JSON.stringify(entry), entry);
    }
    const text = JSON.stringify([...merged.values()].sort((a, b) => a.time - b.time));
    await trx
      .insertInto("steps")
      .values({
        project_id: projectId,
        task_id: taskId,
        id,
        name: "",
        kind: "other",
        started_at: 0,
        status: "unset",
        attributes: "{}",
        logs: text,
        has_span: 0,
      })
      .onConflict((conflict) => conflict.columns(["project_id", "task_id", "id"]).doUpdateSet({ logs: text }))
      .execute();
  }
}

function messages(entries: StepLogEntry[], side: "input" | "output"): ChatMessage[] | null {
  const list = entries.filter((entry) => entry.side === side).map((entry) => entry.message);
  return list.length > 0 ? list : null;
}

/** A stored row as a step: JSON parsed, and the joined log records standing in for content the span lacks. */
export function fromRow(row: StepRow): StoredStep {
  const logs = parseJson(row.logs);
  const entries = Array.isArray(logs) ? (logs as StepLogEntry[]) : [];
  const input = parseJson(row.input);
  const output = parseJson(row.output);
  return {
    id: row.id,
    parent_id: row.parent_id,
    name: row.name,
    kind: row.kind as StepKind,
    started_at: Number(row.started_at),
    ended_at: row.ended_at === null ? null : Number(row.ended_at),
    model: row.model,
    prompt_tokens: row.prompt_tokens === null ? null : Number(row.prompt_tokens),
    completion_tokens: row.completion_tokens === null ? null : Number(row.completion_tokens),
    total_tokens: row.total_tokens === null ? null : Number(row.total_tokens),
    cache_read_tokens: row.cache_read_tokens === null ? null : Number(row.cache_read_tokens),
    cache_write_tokens: row.cache_write_tokens === null ? null : Number(row.cache_write_tokens),
    reasoning_tokens: row.reasoning_tokens === null ? null : Number(row.reasoning_tokens),
    ttft_ms: row.ttft_ms === null ? null : Number(row.ttft_ms),
    input: input ?? messages(entries, "input"),
    output: output ?? messages(entries, "output"),
    status: row.status as StepStatus,
    error: row.error,
    attributes: parseObject(row.attributes),
    has_span: row.has_span === 1,
  };
}

/** Every row of a task (placeholders included, for the OTLP task derivation), in time order. */
export async function readTaskRows(db: Db, projectId: string, taskId: string): Promise<StoredStep[]> {
  const rows = await db
    .selectFrom("steps")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("task_id", "=", taskId)
    .orderBy("started_at")
    .orderBy("id")
    .execute();
  // Same start: the longer step first (a parent encloses its children); the same on both engines.
  const end = (row: StepRow) => (row.ended_at === null ? Infinity : Number(row.ended_at));
  rows.sort((a, b) => Number(a.started_at) - Number(b.started_at) || end(b) - end(a));
  return rows.map(fromRow);
}

/** A task's steps as the read APIs return them: spans only, in time order, in the wire shape. */
export async function readSteps(db: Db, projectId: string, taskId: string): Promise<Step[]> {
  const rows = await readTaskRows(db, projectId, taskId);
  return rows.filter((row) => row.has_span).map(stepToWire);
}

export function stepToWire(step: StoredStep): Step {
  const { has_span: _hasSpan, ...wire } = step;
  return wire;
}
