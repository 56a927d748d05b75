/** SQLite reads off the main thread, each within the query budget (`README` of the store in docs/ARCHITECTURE.md). */
export { onMainConnection, ReaderPoolDialect } from "./driver.js";
export { QueryBudgetError, ReadersBusyError } from "./errors.js";
export { ReaderPool, type ReaderPoolOptions } from "./pool.js";
