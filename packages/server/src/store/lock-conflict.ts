/**
 * A transaction PostgreSQL rolled back so that another could go on: a deadlock victim (40P01) or a serialization
 * failure (40001). Nothing of it was committed and nothing is wrong with its writes, so running it again is the
 * answer (as PostgreSQL's manual advises), not an error for the client. Two collectors over one database meet
 * this under load: each transaction of the group commit holds several requests, each request taking its own locks
 * in sorted order, so two groups can take them in crossing orders.
 */
import { hasErrorCode } from "./error-code.js";

const CONFLICT_CODES = new Set(["40P01", "40001"]);

export function isLockConflict(error: unknown): boolean {
  return hasErrorCode(error, CONFLICT_CODES);
}
