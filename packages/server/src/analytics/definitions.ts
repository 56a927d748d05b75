/** Event definitions: validation, storage, and the active ones of a project. */
import { randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { z } from "zod";
import type { Database } from "../store/schema.js";
import { compileRegex, PatternError } from "./detectors/index.js";
import { DETECTORS, SCOPES, type DefinitionRow, type DetectorConfig } from "./types.js";
import { checkWebhookUrl, WebhookUrlError, type WebhookPolicy } from "./webhook-url.js";

type Db = Kysely<Database> | Transaction<Database>;

/** The form only; which hosts may be called is the webhook policy's (`checkDefinitionWebhook`). */
const webhookUrl = z
  .string()
  .max(2_000)
  .refine((text) => /^https?:\/\//i.test(text) && URL.canParse(text), "must be an http(s) URL");

const configSchema = z
  .object({
    keywords: z.array(z.string().min(1).max(200)).max(200).optional(),
    pattern: z.string().min(1).max(2_000).optional(),
    caseInsensitive: z.boolean().optional(),
    categories: z.array(z.string().min(1).max(100)).min(2).max(50).optional(),
    prompt: z.string().max(10_000).optional(),
  })
  .strict();

const definitionShape = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000),
  scope: z.enum(SCOPES),
  detector: z.enum(DETECTORS),
  config: configSchema,
  webhook_url: webhookUrl.nullable().optional(),
  active: z.boolean().optional(),
};

export const definitionInput = z.object({
  ...definitionShape,
  description: definitionShape.description.default(""),
  scope: definitionShape.scope.default("input"),
  config: definitionShape.config.default({}),
});
export type DefinitionInput = z.infer<typeof definitionInput>;
/** A patch has no defaults: an absent field keeps its value. */
export const definitionPatch = z.object(definitionShape).partial();
export type DefinitionPatch = z.infer<typeof definitionPatch>;

export class DefinitionError extends Error {
  override readonly name = "DefinitionError";
}

/** What each detector needs in its config; the first problem as `field: rule`. */
export function checkConfig(detector: string, config: DetectorConfig): void {
  if (detector === "keywords" && !(config.keywords ?? []).some((keyword) => keyword.trim() !== "")) {
    throw new DefinitionError("config.keywords: a keywords detector needs at least one non-empty keyword");
  }
  if (detector === "regex") {
    if (!config.pattern) throw new DefinitionError("config.pattern: a regex detector needs a pattern");
    try {
      compileRegex(config.pattern);
    } catch (error) {
      if (error instanceof PatternError) throw new DefinitionError(`config.pattern: ${error.message}`);
      throw error;
    }
  }
  if (detector === "llm_classifier" && (config.categories ?? []).length < 2) {
    throw new DefinitionError("config.categories: a classifier needs at least two categories");
  }
}

/** The webhook policy's rules for a URL about to be saved (null: none), as `webhook_url: rule`. */
export async function checkDefinitionWebhook(
  url: string | null | undefined,
  policy: WebhookPolicy,
): Promise<void> {
  if (!url) return;
  try {
    await checkWebhookUrl(url, policy);
  } catch (error) {
    if (error instanceof WebhookUrlError) throw new DefinitionError(`webhook_url: ${error.message}`);
    throw error;
  }
}

/** The definition as the API shows it: config parsed, and whether it needs the model endpoint. */
export function publicDefinition(row: DefinitionRow) {
  let config: unknown = {};
  try {
    config = JSON.parse(row.config);
  } catch {
    config = {};
  }
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    scope: row.scope,
    detector: row.detector,
    config,
    webhook_url: row.webhook_url,
    version: row.version,
    active: row.active === 1,
    needs_model: row.detector.startsWith("llm_"),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function createDefinition(
  db: Db,
  projectId: string,
  input: DefinitionInput,
  now = Date.now(),
): Promise<DefinitionRow> {
  checkConfig(input.detector, input.config);
  const row: DefinitionRow = {
    project_id: projectId,
    id: `evt_${randomBytes(8).toString("hex")}`,
    name: input.name,
    description: input.description,
    scope: input.scope,
    detector: input.detector,
    config: JSON.stringify(input.config),
    webhook_url: input.webhook_url ?? null,
    version: 1,
    active: input.active === false ? 0 : 1,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto("event_definitions").values(row).execute();
  return row;
}

export function getDefinition(db: Db, projectId: string, id: string): Promise<DefinitionRow | undefined> {
  return db
    .selectFrom("event_definitions")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function listDefinitions(db: Db, projectId: string, activeOnly = false): Promise<DefinitionRow[]> {
  let query = db.selectFrom("event_definitions").selectAll().where("project_id", "=", projectId);
  if (activeOnly) query = query.where("active", "=", 1);
  return query.orderBy("created_at").orderBy("id").execute();
}

/** The config as comparable text: keys sorted, absent ones left out (a form that resends it unchanged is no change). */
function canonical(config: DetectorConfig): string {
  const entries = Object.entries(config).filter(([, value]) => value !== undefined);
  return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** A change to what is detected (detector, config, scope) starts a new version: old detections stay as they were. */
export async function updateDefinition(
  db: Db,
  current: DefinitionRow,
  patch: DefinitionPatch,
  now = Date.now(),
): Promise<DefinitionRow> {
  const detector = patch.detector ?? current.detector;
  const config = patch.config ?? (JSON.parse(current.config) as DetectorConfig);
  checkConfig(detector, config);
  const scope = patch.scope ?? current.scope;
  const changed =
    detector !== current.detector ||
    scope !== current.scope ||
    canonical(config) !== canonical(JSON.parse(current.config) as DetectorConfig) ||
    (patch.description !== undefined &&
      detector.startsWith("llm_") &&
      patch.description !== current.description);
  const next: DefinitionRow = {
    ...current,
    name: patch.name ?? current.name,
    description: patch.description ?? current.description,
    scope,
    detector,
    config: JSON.stringify(config),
    webhook_url: patch.webhook_url === undefined ? current.webhook_url : patch.webhook_url,
    active: patch.active === undefined ? current.active : patch.active ? 1 : 0,
    version: changed ? current.version + 1 : current.version,
    updated_at: now,
  };
  await db
    .updateTable("event_definitions")
    .set(next)
    .where("project_id", "=", current.project_id)
    .where("id", "=", current.id)
    .execute();
  return next;
}

/** Removes the definition and its detections. */
export async function deleteDefinition(
  db: Kysely<Database>,
  projectId: string,
  id: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("detections")
      .where("project_id", "=", projectId)
      .where("definition_id", "=", id)
      .execute();
    const result = await trx
      .deleteFrom("event_definitions")
      .where("project_id", "=", projectId)
      .where("id", "=", id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}
