/**
 * Whether a store error, or one of its first causes, carries one of `codes`: drivers and Kysely wrap the
 * database's error, and the code (SQLite's `SQLITE_*`, PostgreSQL's SQLSTATE) says what happened.
 */
export function hasErrorCode(error: unknown, codes: ReadonlySet<string>): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && codes.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
