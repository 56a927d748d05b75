/** The benchmarks, in the order they run and appear in docs/PERFORMANCE.md. */
import type { Suite } from "./context.js";
import { endToEnd } from "./e2e/index.js";
import { hotPath } from "./hotpath/index.js";
import { collectorIngest } from "./ingest/index.js";
import { queriesAtScale } from "./queries/index.js";
import { faultSection } from "./faults.js";
import { otlpIngest } from "./otlp/index.js";
import { wrapOverhead } from "./wrap/index.js";
import { analyticsBench } from "./analytics/index.js";

export const suites: Suite[] = [
  { name: "hotpath", heading: "1. SDK hot path", run: hotPath },
  { name: "e2e", heading: "2. End to end", run: endToEnd },
  { name: "ingest", heading: "3. Collector ingest alone", run: collectorIngest },
  { name: "queries", heading: "4. Queries as the data grows", run: queriesAtScale },
  { name: "faults", heading: "5. Faults", run: faultSection },
  { name: "otlp", heading: "6. OTLP ingest and trace reads", run: otlpIngest },
  { name: "wrap", heading: "7. Client wrappers", run: wrapOverhead },
  { name: "analytics", heading: "8. Analytics", run: analyticsBench },
];
