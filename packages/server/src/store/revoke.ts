/** Key revocation: the key stops working on every route at once, and every dashboard session it opened ends. */
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "./schema.js";
import type { ApiKeyRecord } from "./types.js";

const KEY_COLUMNS = [
  "id",
  "project_id",
  "key_prefix",
  "name",
  "created_at",
  "last_used_at",
  "revoked_at",
] as const;

/** Keys whose id is `idOrPrefix`, else whose display prefix starts with it (at least 6 characters). */
export async function findKeys(
  db: Kysely<Database>,
  idOrPrefix: string,
  projectId?: string,
): Promise<ApiKeyRecord[]> {
  let byId = db.selectFrom("api_keys").select(KEY_COLUMNS).where("id", "=", idOrPrefix);
  if (projectId !== undefined) byId = byId.where("project_id", "=", projectId);
  const exact = await byId.execute();
  if (exact.length > 0 || idOrPrefix.length < 6) return exact;
  let byPrefix = db
    .selectFrom("api_keys")
    .select(KEY_COLUMNS)
    .where(sql<string>`substr(key_prefix, 1, ${idOrPrefix.length})`, "=", idOrPrefix);
  if (projectId !== undefined) byPrefix = byPrefix.where("project_id", "=", projectId);
  return byPrefix.execute();
}

export async function revokeKey(trx: Transaction<Database>, keyId: string, now: number): Promise<void> {
  await trx
    .updateTable("api_keys")
    .set({ revoked_at: now })
    .where("id", "=", keyId)
    .where("revoked_at", "is", null)
    .execute();
  await trx
    .updateTable("dashboard_sessions")
    .set({ revoked_at: now })
    .where("revoked_at", "is", null)
    .where("id_hash", "in", (eb) =>
      eb.selectFrom("dashboard_session_keys").select("session_hash").where("key_id", "=", keyId),
    )
    .execute();
}
