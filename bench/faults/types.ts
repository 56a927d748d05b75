/** What every fault reports: the four counts of the issue and whether anything accepted went missing. */

export interface FaultResult {
  name: string;
  /** Events handed to the SDK (or, for the corpus, good events sent). */
  logged: number;
  /** Events the collector acknowledged with a 200 (per event). */
  acknowledged: number;
  /** Logged events found in the store afterwards. */
  stored: number;
  /** Events the client gave up on, by reason (counted, so accounted for). */
  dropped: Record<string, number>;
  /** Logged events neither stored nor counted as dropped, plus acknowledged events not stored. */
  unaccounted: number;
  /** Further checks of this fault (Retry-After honoured, no duplicates, no 5xx…); each failure fails the fault. */
  checks: Array<{ what: string; ok: boolean; detail: string }>;
  /** Set when the fault did not run. */
  skipped?: string;
}

/** A fault that counted nothing: one that was skipped, or that failed before its load ran. */
export function withoutCounts(
  name: string,
  rest: Pick<FaultResult, "checks"> & Partial<FaultResult>,
): FaultResult {
  return { name, logged: 0, acknowledged: 0, stored: 0, dropped: {}, unaccounted: 0, ...rest };
}

export function passed(r: FaultResult): boolean {
  return r.skipped !== undefined || (r.unaccounted === 0 && r.checks.every((c) => c.ok));
}

export interface FaultContext {
  quick: boolean;
  workDir: string;
  progress(message: string): void;
}

export function accountFor(
  name: string,
  loggedIds: readonly string[],
  acknowledged: ReadonlySet<string>,
  storedIds: ReadonlySet<string>,
  dropped: Record<string, number>,
): FaultResult {
  const stored = loggedIds.filter((id) => storedIds.has(id)).length;
  const droppedTotal = Object.values(dropped).reduce((a, b) => a + b, 0);
  const ackedMissing = [...acknowledged].filter((id) => !storedIds.has(id)).length;
  const missing = Math.max(0, loggedIds.length - stored - droppedTotal);
  return {
    name,
    logged: loggedIds.length,
    acknowledged: acknowledged.size,
    stored,
    dropped,
    unaccounted: missing + ackedMissing,
    checks: [],
  };
}
