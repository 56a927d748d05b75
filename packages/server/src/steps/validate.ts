/**
 * The optional `steps` list of a `/v2/log` event, checked against the contract of docs/ARCHITECTURE.md. A bad step
 * is an error naming its field (`steps[2].kind: ...`); the caller turns it into that event's `error_in_log`.
 */
import { z } from "zod";
import { STEP_KINDS, STEP_STATUSES, type Step } from "./types.js";

/** Most steps one event may carry. */
export const MAX_STEPS_PER_EVENT = 5_000;

const count = z
  .number()
  .int("must be an integer")
  .nonnegative("must not be negative")
  .max(Number.MAX_SAFE_INTEGER, "must be at most 2^53 - 1")
  .nullish();
const ms = z
  .number({ error: "must be a number of milliseconds since the epoch" })
  .nonnegative("must not be negative")
  .max(1e15, "must be milliseconds since the epoch")
  .refine((value) => value > 1e11 || value === 0, "must be milliseconds since the epoch, not seconds");

export const stepSchema = z.object({
  id: z
    .string({ error: "is required (a string)" })
    .min(1, "must not be empty")
    .max(256, "must be at most 256 characters"),
  parent_id: z.string().max(256, "must be at most 256 characters").nullish(),
  name: z.string({ error: "is required (a string)" }).max(2_048, "must be at most 2048 characters"),
  kind: z.enum(STEP_KINDS, { error: `must be one of ${STEP_KINDS.join(", ")}` }),
  started_at: ms,
  ended_at: ms.nullish(),
  model: z.string().max(512, "must be at most 512 characters").nullish(),
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  cache_read_tokens: count,
  cache_write_tokens: count,
  reasoning_tokens: count,
  ttft_ms: count,
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  status: z.enum(STEP_STATUSES, { error: `must be one of ${STEP_STATUSES.join(", ")}` }).nullish(),
  error: z.string().nullish(),
  attributes: z.record(z.string(), z.unknown(), { error: "must be an object" }).nullish(),
});

export type StepsResult = { ok: true; steps: Step[] } | { ok: false; error: string };

export function validateSteps(raw: unknown): StepsResult {
  if (!Array.isArray(raw)) return { ok: false, error: "steps: must be an array of steps" };
  if (raw.length > MAX_STEPS_PER_EVENT) {
    return {
      ok: false,
      error: `steps: ${raw.length} steps is over the limit of ${MAX_STEPS_PER_EVENT} per event`,
    };
  }
  const steps: Step[] = [];
  const seen = new Set<string>();
  for (const [index, item] of raw.entries()) {
    const parsed = stepSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue && issue.path.length > 0 ? `.${issue.path.join(".")}` : "";
      return { ok: false, error: `steps[${index}]${field}: ${issue?.message ?? "must be a step object"}` };
    }
    const s = parsed.data;
    if (seen.has(s.id)) {
      return {
        ok: false,
        error: `steps[${index}].id: ${s.id} is repeated (step ids are unique within a task)`,
      };
    }
    if (s.ended_at != null && s.ended_at < s.started_at) {
      return { ok: false, error: `steps[${index}].ended_at: must not be before started_at` };
    }
    seen.add(s.id);
    steps.push({
      id: s.id,
      parent_id: s.parent_id ?? null,
      name: s.name,
      kind: s.kind,
      started_at: s.started_at,
      ended_at: s.ended_at ?? null,
      model: s.model ?? null,
      prompt_tokens: s.prompt_tokens ?? null,
      completion_tokens: s.completion_tokens ?? null,
      total_tokens: s.total_tokens ?? null,
      cache_read_tokens: s.cache_read_tokens ?? null,
      cache_write_tokens: s.cache_write_tokens ?? null,
      reasoning_tokens: s.reasoning_tokens ?? null,
      ttft_ms: s.ttft_ms ?? null,
      input: s.input ?? null,
      output: s.output ?? null,
      status: s.status ?? "unset",
      error: s.error ?? null,
      attributes: s.attributes ?? {},
    });
  }
  return { ok: true, steps };
}
