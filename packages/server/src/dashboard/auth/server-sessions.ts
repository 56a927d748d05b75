/**
 * Server-side dashboard sessions. The signed cookie names a session id; only its SHA-256 is stored, with the API
 * keys that opened the session. Every request checks the row (one primary-key read, no cache, so that every
 * replica over one PostgreSQL agrees at once): sign-out ends the session everywhere its cookie is used, and
 * revoking a key ends every session that key opened (store/kysely-store.ts `revokeApiKey`).
 */
import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import { onMainConnection } from "../../store/index.js";
import type { Store } from "../../store/types.js";

export function hashSessionId(id: string): string {
  return createHash("sha256").update(id, "utf8").digest("hex");
}

/** A new session, valid until `expiresAt`; `keyId` is the API key that opened it (none for the operator link). */
export async function openServerSession(
  store: Store,
  expiresAt: number,
  keyId: string | null,
  now = Date.now(),
): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await store.db
    .insertInto("dashboard_sessions")
    .values({ id_hash: hashSessionId(id), created_at: now, expires_at: expiresAt, revoked_at: null })
    .execute();
  if (keyId) await linkKey(store, id, keyId);
  return id;
}

/** Records that `keyId` added a project to the session: revoking it ends the session. */
export async function linkKey(store: Store, sessionId: string, keyId: string): Promise<void> {
  await store.db
    .insertInto("dashboard_session_keys")
    .values({ session_hash: hashSessionId(sessionId), key_id: keyId })
    .onConflict((oc) => oc.columns(["session_hash", "key_id"]).doNothing())
    .execute();
}

export async function isServerSessionLive(
  store: Store,
  sessionId: string,
  now = Date.now(),
): Promise<boolean> {
  const row = await store.db
    .selectFrom("dashboard_sessions")
    .modifyFront(onMainConnection)
    .select(["expires_at", "revoked_at"])
    .where("id_hash", "=", hashSessionId(sessionId))
    .executeTakeFirst();
  return row !== undefined && row.revoked_at === null && Number(row.expires_at) > now;
}

/**
 * The project guard's two point reads in one statement (one round trip to PostgreSQL instead of two): whether
 * the session is live, as `isServerSessionLive` says, and whether the project exists.
 */
export async function sessionAndProject(
  store: Store,
  sessionId: string,
  projectId: string,
  now = Date.now(),
): Promise<{ live: boolean; project: boolean }> {
  const row = await store.db
    .selectNoFrom((eb) => [
      eb
        .selectFrom("dashboard_sessions")
        .select(sql.lit(1).as("one"))
        .where("id_hash", "=", hashSessionId(sessionId))
        .where("revoked_at", "is", null)
        .where("expires_at", ">", now)
        .as("live"),
      eb.selectFrom("projects").select(sql.lit(1).as("one")).where("id", "=", projectId).as("project"),
    ])
    .modifyFront(onMainConnection)
    .executeTakeFirst();
  const found = (value: unknown) => value !== null && value !== undefined;
  return { live: found(row?.live), project: found(row?.project) };
}

export async function revokeServerSession(store: Store, sessionId: string, now = Date.now()): Promise<void> {
  await store.db
    .updateTable("dashboard_sessions")
    .set({ revoked_at: now })
    .where("id_hash", "=", hashSessionId(sessionId))
    .where("revoked_at", "is", null)
    .execute();
}
