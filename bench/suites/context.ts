/** What every benchmark suite receives from the runner. */
import type { Section } from "../lib/table.js";

export interface BenchContext {
  /** Smoke mode: small sizes, few repetitions, the whole run under two minutes. */
  quick: boolean;
  /** A scratch directory for this suite (SQLite files, spools), removed after the run. */
  workDir: string;
  /** One progress line on stderr, so stdout stays the Markdown. */
  progress(message: string): void;
}

export interface Suite {
  name: string;
  heading: string;
  run(ctx: BenchContext): Promise<Section>;
}
