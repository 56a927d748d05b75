/** Full-text search kept off the ingest transaction: the background indexer and its lag (docs/ARCHITECTURE.md). */
export { SearchIndexer, type SearchHealth, type SearchIndexerOptions } from "./indexer.js";
export type { SearchLag } from "./batch.js";
