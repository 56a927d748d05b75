// Times one stream and fires `onEnd` exactly once, however the stream ends.

import type { StreamStatus } from "../types.js";
import { StreamAccumulator } from "./accumulate.js";

export interface StreamResult {
  text: string | null;
  accumulator: StreamAccumulator;
  status: StreamStatus;
  latencyMs: number;
  timeToFirstTokenMs: number | undefined;
}

function now(): number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? perf.now() : Date.now();
}

export class StreamRecorder {
  readonly accumulator = new StreamAccumulator();
  readonly #start = now();
  #firstAt: number | undefined;
  #ended = false;
  readonly #onEnd: (result: StreamResult) => void;

  constructor(onEnd: (result: StreamResult) => void) {
    this.#onEnd = onEnd;
  }

  chunk(value: unknown): void {
    this.#firstAt ??= now();
    this.accumulator.add(value);
  }

  end(status: StreamStatus): void {
    if (this.#ended) return;
    this.#ended = true;
    const end = now();
    try {
      this.#onEnd({
        text: this.accumulator.text(),
        accumulator: this.accumulator,
        status,
        latencyMs: Math.round(end - this.#start),
        timeToFirstTokenMs: this.#firstAt === undefined ? undefined : Math.round(this.#firstAt - this.#start),
      });
    } catch {
      // Logging must never break the consumer's loop.
    }
  }
}
