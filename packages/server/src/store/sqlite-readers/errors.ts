/**
 * The two ways a read on the reader pool can end without rows. Each carries the HTTP status the collector answers
 * with (`statusCode`, which every error handler of the app reads), so no route needs to know about them.
 */

/**
 * The statement ran past the query budget and was stopped. 422, not 503: the same request would be stopped again,
 * so clients must not retry it as they retry a 503; the person asking should narrow it instead.
 */
export class QueryBudgetError extends Error {
  override readonly name = "QueryBudgetError";
  readonly statusCode = 422;

  constructor(readonly budgetMs: number) {
    super(
      `The query ran past the query budget of ${budgetMs} ms (PHOSPHO_QUERY_TIMEOUT_MS) and was stopped: ` +
        "narrow it (a longer or more specific search, a shorter time range, more filters)",
    );
  }
}

/**
 * Every reader stayed busy for a whole budget while this read waited: the server is overloaded right now, and a
 * retry later may pass. `code` makes `isStoreUnavailable` answer it 503 with Retry-After.
 */
export class ReadersBusyError extends Error {
  override readonly name = "ReadersBusyError";
  readonly code = "PHOSPHO_READERS_BUSY";

  constructor(waitedMs: number) {
    super(`every SQLite reader stayed busy for ${waitedMs} ms`);
  }
}
