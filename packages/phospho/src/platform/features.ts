// Node-only features (the spool, directory hashing) are installed by the `node` entry (`src/node.ts`), which
// the `node`, `bun` and `deno` export conditions select. Every other build (browsers, workers, edge
// runtimes) contains none of their code and no `node:` import: an option that needs them is reported and
// ignored there. Types only here, so that this module costs nothing in the other builds.

import type { EventItem } from "../queue/items.js";
import type { KeepContext } from "../spool/keep.js";
import type { Redelivery, RedeliveryHost } from "../spool/redelivery.js";
import type { Spool } from "../spool/spool.js";

export interface NodeFeatures {
  /** A short hash of the files under these directories (order-independent). */
  hashDirectories(roots: string[]): Promise<string>;
  openSpool(dir: string, maxBytes: number): Spool;
  redeliver(spool: Spool, host: RedeliveryHost): Redelivery;
  /** Writes events given up by the transport to the spool, or counts them as dropped. */
  keepUndelivered(ctx: KeepContext, items: EventItem[], reason: string): Promise<void>;
}

let installed: NodeFeatures | undefined;

export function installNodeFeatures(features: NodeFeatures): void {
  installed = features;
}

export function nodeFeatures(): NodeFeatures | undefined {
  return installed;
}
