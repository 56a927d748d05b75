/**
 * Request budgets, applied to every route by `buildApp`: socket timeouts and connection caps (server.ts), key
 * before body (key-gate.ts), body size per kind of route (body-limits.ts), bounded JSON (json-parser.ts), and
 * rate limits (rate-limit.ts). README.md in this folder says what a new keyed route must do.
 */
export { budgetedServerFactory, capConnections, type SocketBudgets } from "./server.js";
export { registerKeyGate, keyModeOf, type KeyMode } from "./key-gate.js";
export { registerBodyLimits } from "./body-limits.js";
export { registerJsonParser } from "./json-parser.js";
export { cutDeeperThan } from "./json-depth.js";
export { RateLimiter, type RateLimitVerdict } from "./rate-limit.js";
export { clientGone } from "./client-gone.js";
