/** The benchmarks, in the order they run and appear in docs/PERFORMANCE.md. */
import type { Suite } from "./context.js";
import { endToEnd } from "./e2e/index.js";
import { hotPath } from "./hotpath/index.js";

export const suites: Suite[] = [
  { name: "hotpath", heading: "1. SDK hot path", run: hotPath },
  { name: "e2e", heading: "2. End to end", run: endToEnd },
];
