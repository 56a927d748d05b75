import type { Kysely } from "kysely";
import type { Dialect } from "../types.js";

/** One schema change. `up` runs inside the migration transaction, on the connection that holds the lock. */
export interface Migration {
  name: string;
  // The schema is what this migration builds, so it cannot be typed by it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: Dialect, warn: (message: string) => void): Promise<void>;
}
