/**
 * A full disk, told apart from other failures, and the store's write state that follows from it. SQLite says
 * SQLITE_FULL when a write finds no space, and SQLITE_IOERR_SHMSIZE when it cannot even size the WAL index (the
 * `-shm` file) that every connection needs at open. PostgreSQL says 53100 (disk_full).
 */
import { hasErrorCode } from "./error-code.js";

const FULL_CODES = new Set(["SQLITE_FULL", "SQLITE_IOERR_SHMSIZE", "53100"]);

export function isDiskFull(error: unknown): boolean {
  return hasErrorCode(error, FULL_CODES);
}

/** The cause as the store reports it: SQLite's message and code. */
export function fullCause(error: unknown): string {
  const { message, code } = error as { message?: unknown; code?: unknown };
  if (code === "SQLITE_IOERR_SHMSIZE")
    return "the disk is full: SQLite cannot size its WAL index (SQLITE_IOERR_SHMSIZE)";
  return typeof code === "string" ? `${String(message)} (${code})` : String(message);
}

/**
 * Read-only since the last write that failed for want of space; writable again at the next write that commits.
 * Writes are still tried (SQLite refuses them at once), so the store needs no restart once space is freed.
 */
export class WriteState {
  private fullCause: string | null = null;
  private fullSince = 0;

  constructor(cause: string | null = null, now = Date.now()) {
    if (cause !== null) this.full(cause, now);
  }

  full(cause: string, now = Date.now()): void {
    if (this.fullCause === null) this.fullSince = now;
    this.fullCause = cause;
  }

  committed(): void {
    this.fullCause = null;
  }

  /** Null while writes pass; else why they do not, and since when (ms). */
  readOnly(): { cause: string; since: number } | null {
    return this.fullCause === null ? null : { cause: this.fullCause, since: this.fullSince };
  }
}
