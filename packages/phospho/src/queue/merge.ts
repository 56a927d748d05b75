// A task logged again while its first event still waits in the queue is merged into it, as phospho 1.3 did
// (that is how it logged a stream in parts): the outputs are concatenated, and the raw outputs gathered in a
// list unless `concatenateRawOutputsIfTaskIdExists: false`. Everything else comes from the latest log.

import type { JsonValue } from "../extract/json-safe.js";
import { truncateText } from "../extract/truncate.js";
import type { LogEvent } from "../types.js";

export function mergeEvents(
  previous: LogEvent,
  next: LogEvent,
  concatenateRaw: boolean,
  maxContentChars: number,
): LogEvent {
  let output = next.output;
  if (typeof previous.output === "string" && typeof next.output === "string") {
    output = truncateText(previous.output + next.output, maxContentChars);
  } else if (next.output === null) {
    output = previous.output;
  }
  let rawOutput: JsonValue = next.raw_output;
  if (concatenateRaw) {
    rawOutput = Array.isArray(previous.raw_output)
      ? [...previous.raw_output, next.raw_output]
      : [previous.raw_output, next.raw_output];
  }
  return { ...next, output, raw_output: rawOutput };
}
