/**
 * The project's model endpoint (OpenAI-compatible): set in the dashboard (stored per project), else from
 * `PHOSPHO_LLM_BASE_URL`, `PHOSPHO_LLM_API_KEY`, `PHOSPHO_LLM_MODEL`. The key is read here and handed only to the
 * request that needs it: no API reply, log line or export carries it (`publicEndpoint` has no key field at all).
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../store/schema.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface ModelEndpoint {
  baseUrl: string;
  apiKey: string | null;
  model: string;
  source: "project" | "environment";
}

export function endpointFromEnv(env: NodeJS.ProcessEnv): ModelEndpoint | null {
  const baseUrl = env.PHOSPHO_LLM_BASE_URL;
  const model = env.PHOSPHO_LLM_MODEL;
  if (!baseUrl || !model) return null;
  return { baseUrl, apiKey: env.PHOSPHO_LLM_API_KEY || null, model, source: "environment" };
}

export async function loadEndpoint(
  db: Db,
  projectId: string,
  fallback: ModelEndpoint | null,
): Promise<ModelEndpoint | null> {
  const row = await db
    .selectFrom("model_endpoints")
    .selectAll()
    .where("project_id", "=", projectId)
    .executeTakeFirst();
  if (!row) return fallback;
  return { baseUrl: row.base_url, apiKey: row.api_key, model: row.model, source: "project" };
}

/** What the API shows: never the key, only whether one is set. */
export function publicEndpoint(endpoint: ModelEndpoint | null) {
  if (!endpoint) return { configured: false as const };
  return {
    configured: true as const,
    base_url: endpoint.baseUrl,
    model: endpoint.model,
    has_key: endpoint.apiKey !== null && endpoint.apiKey !== "",
    source: endpoint.source,
  };
}

/** Saves the project's endpoint; `apiKey` undefined keeps the stored key, null removes it. */
export async function saveEndpoint(
  db: Db,
  projectId: string,
  input: { baseUrl: string; model: string; apiKey?: string | null | undefined },
  now = Date.now(),
): Promise<void> {
  const current = await db
    .selectFrom("model_endpoints")
    .select("api_key")
    .where("project_id", "=", projectId)
    .executeTakeFirst();
  const apiKey = input.apiKey === undefined ? (current?.api_key ?? null) : input.apiKey;
  const row = {
    project_id: projectId,
    base_url: input.baseUrl,
    api_key: apiKey,
    model: input.model,
    updated_at: now,
  };
  await db
    .insertInto("model_endpoints")
    .values(row)
    .onConflict((conflict) =>
      conflict.column("project_id").doUpdateSet({
        base_url: row.base_url,
        api_key: row.api_key,
        model: row.model,
        updated_at: now,
      }),
    )
    .execute();
}

export async function deleteEndpoint(db: Db, projectId: string): Promise<void> {
  await db.deleteFrom("model_endpoints").where("project_id", "=", projectId).execute();
}
