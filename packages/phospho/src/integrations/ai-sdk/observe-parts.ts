// The model's stream, passed on part by part to the AI SDK, with the end reported once however it comes: read to
// the end, cancelled by the app (an abort, a closed response), or failed.

import type { StreamStatus } from "../shared/core.js";
import { isAbort } from "../shared/measure.js";

/** Wraps the model's stream: every part passes through unchanged; the task is logged when it ends. */
export function observeParts(
  source: ReadableStream<unknown>,
  onPart: (part: unknown) => void,
  onEnd: (status: StreamStatus, error?: unknown) => void,
): ReadableStream<unknown> {
  const reader = source.getReader();
  let ended = false;
  const end = (status: StreamStatus, error?: unknown) => {
    if (ended) return;
    ended = true;
    onEnd(status, error);
  };
  return new ReadableStream<unknown>(
    {
      async pull(controller) {
        let step: ReadableStreamReadResult<unknown>;
        try {
          step = await reader.read();
        } catch (error) {
          end(isAbort(error) ? "cancelled" : "error", error);
          controller.error(error);
          return;
        }
        if (step.done) {
          end("completed");
          controller.close();
          return;
        }
        try {
          onPart(step.value);
        } catch {
          // A part the reader does not understand must not break the app's stream.
        }
        controller.enqueue(step.value);
      },
      cancel(reason) {
        end("cancelled");
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
