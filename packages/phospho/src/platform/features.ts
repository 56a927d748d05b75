// Node-only features (the spool, directory hashing) are installed by the `node` entry (`src/node.ts`), which
// the `node`, `bun` and `deno` export conditions select. Every other build (browsers, workers, edge
// runtimes) contains none of their code and no `node:` import: an option that needs them is reported and
// ignored there. Types only here, so that this module costs nothing in the other builds.

import type { ResolvedConfig } from "../config/options.js";
import type { PhosphoError } from "../errors.js";
import type { StatsCounter } from "../internal/stats.js";
import type { EventItem } from "../queue/items.js";
import type { BoundedQueue } from "../queue/queue.js";
import type { RedeliveryHost } from "../spool/redelivery.js";

/** What a pipeline gives its spool: its queue (to size a slice by), and how to queue and send a slice. */
export interface DurableHost extends Pick<RedeliveryHost, "enqueue" | "loaded"> {
  queue: BoundedQueue;
}

/** What `spoolDir` adds to a pipeline (see `spool/durable.ts`). */
export interface Durable {
  /** The pipeline is idle: read the spool back if it is time to probe the collector again. */
  probe(): void;
  /** Reads the next slice of the spool into the queue. Resolves to the count queued; never rejects. */
  refill(): Promise<number>;
  /** An event re-read from the spool is done: delivered (or dropped by the collector), or handed back. */
  finish(item: EventItem, delivered: boolean): void;
  /** After a request: its events re-read from the spool are finished, delivered unless in `undelivered`. */
  settle(sent: EventItem[], undelivered: EventItem[]): void;
  /** Writes events given up by the transport to the spool, or counts them as dropped. */
  keep(items: EventItem[], reason: string): Promise<void>;
  /** No more slices (the pipeline is closing). */
  stop(): void;
}

export interface NodeFeatures {
  /**
   * A short hash of the files under these directories (order-independent), for `pathToHash`; `undefined` when
   * they cannot be read (then reported).
   */
  versionOf(roots: string[], report: (error: PhosphoError) => void): Promise<string | undefined>;
  /** The spool of `config.spoolDir` for one pipeline. */
  durable(
    config: ResolvedConfig,
    stats: StatsCounter,
    report: (error: PhosphoError) => void,
    host: DurableHost,
  ): Durable;
}

let installed: NodeFeatures | undefined;

export function installNodeFeatures(features: NodeFeatures): void {
  installed = features;
}

export function nodeFeatures(): NodeFeatures | undefined {
  return installed;
}
