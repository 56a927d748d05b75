// Events given up by the transport, written to the spool (Node only: installed by `src/node.ts`), one file per
// batch (`batchSize`, `maxBatchBytes`) so that a file read back always fits in the queue. What the spool
// cannot take (full, or a write error) is counted as dropped and reported.

import { PhosphoDeliveryError, type PhosphoError } from "../errors.js";
import type { StatsCounter } from "../internal/stats.js";
import type { EventItem } from "../queue/items.js";
import type { Spool } from "./spool.js";

export interface KeepContext {
  spool: Spool;
  batchSize: number;
  maxBatchBytes: number;
  maxSpoolBytes: number;
  stats: StatsCounter;
  report: (error: PhosphoError) => void;
  /** Called after each file written (the re-delivery then knows the spool holds something). */
  written: () => void;
}

async function spoolOrDrop(ctx: KeepContext, items: EventItem[], reason: string): Promise<void> {
  try {
    if (await ctx.spool.write(items.map((item) => item.event))) {
      ctx.stats.spooled += items.length;
      ctx.written();
      return;
    }
    reason = "spool_full";
    ctx.report(
      new PhosphoDeliveryError(
        reason,
        items.length,
        `the spool directory is full (maxSpoolBytes ${ctx.maxSpoolBytes}): ${items.length} event(s) dropped`,
      ),
    );
  } catch (error) {
    reason = "spool_error";
    ctx.report(
      new PhosphoDeliveryError(reason, items.length, `could not write to spoolDir: ${String(error)}`),
    );
  }
  ctx.stats.drop(reason, items.length);
}

export async function keepUndelivered(ctx: KeepContext, items: EventItem[], reason: string): Promise<void> {
  let chunk: EventItem[] = [];
  let bytes = 0;
  for (const item of items) {
    if (chunk.length >= ctx.batchSize || (chunk.length > 0 && bytes + item.size > ctx.maxBatchBytes)) {
      await spoolOrDrop(ctx, chunk, reason);
      chunk = [];
      bytes = 0;
    }
    chunk.push(item);
    bytes += item.size;
  }
  if (chunk.length > 0) await spoolOrDrop(ctx, chunk, reason);
}
