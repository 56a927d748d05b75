// What a page that is being hidden or left can still send: `fetch(…, { keepalive: true })` accepts at most
// 64 kB of bodies in flight per page, so the events are cut into one body that fits, measured in UTF-8 bytes.

import type { EventItem } from "./items.js";

/** The keepalive budget, less room for headers and the envelope. */
export const KEEPALIVE_BUDGET_BYTES = 60_000;

const encoder = new TextEncoder();

/**
 * The events, oldest first, whose batch fits the budget, and the rest. An event larger than the whole budget
 * can never be sent this way: it is returned in `tooLarge`.
 */
export function fitKeepalive(
  items: EventItem[],
  budget = KEEPALIVE_BUDGET_BYTES,
): { fits: EventItem[]; rest: EventItem[]; tooLarge: EventItem[] } {
  const fits: EventItem[] = [];
  const rest: EventItem[] = [];
  const tooLarge: EventItem[] = [];
  let used = 32; // {"batched_log_events":[]}
  for (const item of items) {
    const bytes = encoder.encode(JSON.stringify(item.event)).length + 1;
    if (bytes + 32 > budget) tooLarge.push(item);
    else if (rest.length === 0 && used + bytes <= budget) {
      fits.push(item);
      used += bytes;
    } else rest.push(item);
  }
  return { fits, rest, tooLarge };
}
