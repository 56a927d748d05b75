/**
 * The secret that signs session cookies. It lives in the `settings` table, so every replica over one PostgreSQL
 * database signs and verifies with the same secret and the dashboard stays stateless.
 */
import { randomBytes } from "node:crypto";
import type { Store } from "../../store/types.js";

const SETTING_KEY = "dashboard_cookie_secret";

async function readSecret(store: Store): Promise<string | undefined> {
  const row = await store.db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", SETTING_KEY)
    .executeTakeFirst();
  return row?.value;
}

/** Reads the secret, creating it on first use. Two replicas racing both end up with the row that won. */
export async function loadCookieSecret(store: Store): Promise<Buffer> {
  let value = await readSecret(store);
  if (value === undefined) {
    await store.db
      .insertInto("settings")
      .values({ key: SETTING_KEY, value: randomBytes(32).toString("base64url") })
      .onConflict((oc) => oc.column("key").doNothing())
      .execute();
    value = await readSecret(store);
  }
  if (value === undefined)
    throw new Error("the dashboard cookie secret could not be stored in the settings table");
  return Buffer.from(value, "base64url");
}
