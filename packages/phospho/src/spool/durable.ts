// Node only (installed by `src/node.ts`): what `spoolDir` adds to a pipeline, behind one small interface, so
// that the browser and worker builds carry none of it. Undelivered events are written to the spool
// (`keep.ts`), and spooled events are read back and sent while the client runs (`redelivery.ts`).

import type { ResolvedConfig } from "../config/options.js";
import type { PhosphoError } from "../errors.js";
import type { StatsCounter } from "../internal/stats.js";
import type { EventItem } from "../queue/items.js";
import type { Durable, DurableHost } from "../platform/features.js";
import { keepUndelivered } from "./keep.js";
import { Redelivery } from "./redelivery.js";
import type { Spool } from "./spool.js";

export function makeDurable(
  spool: Spool,
  config: ResolvedConfig,
  stats: StatsCounter,
  report: (error: PhosphoError) => void,
  { queue, enqueue, loaded }: DurableHost,
): Durable {
  const redelivery = new Redelivery(spool, {
    // Half of the queue bounds at most, so live logs keep room while a slice is sent.
    room: () => ({
      events: Math.floor(config.maxQueueEvents / 2) - queue.length,
      bytes: config.maxQueueBytes / 2 - queue.bytes,
      queueEmpty: queue.length === 0,
    }),
    enqueue,
    loaded,
    report,
  });
  // An idle client probes the spool at most this often (a busy one goes on after each successful send).
  const probeEveryMs = Math.max(config.flushIntervalMs, config.retryMaxDelayMs);
  return {
    probe() {
      if (redelivery.probeDue(probeEveryMs)) void redelivery.refill();
    },
    refill: () => redelivery.refill(),
    finish: (item, delivered) => redelivery.finish(item, delivered),
    settle(sent: EventItem[], undelivered: EventItem[]) {
      const back = undelivered.length > 0 ? new Set(undelivered) : undefined;
      for (const item of sent) if (item.origin) redelivery.finish(item, !back?.has(item));
    },
    keep: (items, reason) =>
      keepUndelivered(
        {
          spool,
          batchSize: config.batchSize,
          maxBatchBytes: config.maxBatchBytes,
          maxSpoolBytes: config.maxSpoolBytes,
          stats,
          report,
          written: () => redelivery.noteWritten(),
        },
        items,
        reason,
      ),
    stop: () => redelivery.stop(),
  };
}
