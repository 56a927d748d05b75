/**
 * One-time sign-in tokens. The plaintext goes into the link the CLI prints; only its SHA-256 is stored. Consuming
 * is one conditional UPDATE, so two replicas (or two tabs) can never both accept the same token.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Store } from "../../store/types.js";

/** How long a printed sign-in link stays valid, in ms (1 hour). */
export const SIGN_IN_TOKEN_TTL_MS = 60 * 60 * 1000;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSignInToken(store: Store, now = Date.now()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await store.db.deleteFrom("dashboard_tokens").where("expires_at", "<", now).execute();
  await store.db
    .insertInto("dashboard_tokens")
    .values({
      token_hash: hashToken(token),
      created_at: now,
      expires_at: now + SIGN_IN_TOKEN_TTL_MS,
      used_at: null,
    })
    .execute();
  return token;
}

/**
 * Ends every sign-in link not used yet: called at start, so that a link printed by an earlier run (in an old
 * terminal, a log file) no longer opens a session. On PostgreSQL, a replica starting ends the links of the others.
 */
export async function invalidateSignInTokens(store: Store): Promise<void> {
  await store.db.deleteFrom("dashboard_tokens").where("used_at", "is", null).execute();
}

/** True when the token existed, was unused and unexpired; it is used up either way. */
export async function consumeSignInToken(store: Store, token: string, now = Date.now()): Promise<boolean> {
  if (token.length === 0 || token.length > 200) return false;
  const result = await store.db
    .updateTable("dashboard_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", hashToken(token))
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
