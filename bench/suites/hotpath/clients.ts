/**
 * The four things the hot-path benchmark calls, behind one shape: phospho's `log()`, langfuse's trace +
 * generation, posthog-node's `capture`, and the floor (pushing a prebuilt object onto an array). Each is
 * configured to send to the local sink only, and `queue` mode keeps every event in memory (no send) so the heap
 * per queued event can be read.
 */
import { createRequire } from "node:module";
import { Langfuse } from "langfuse";
import { PostHog } from "posthog-node";
import { loadSdk } from "../../lib/sdk.js";
import {
  ANSWER,
  FakeStream,
  QUESTION,
  STREAM_PARTS,
  concatStream,
  openaiCompletion,
  openaiQuery,
} from "../../lib/payloads.js";

export type ClientName = "phospho" | "upstream" | "langfuse" | "posthog" | "array";

/**
 * The upstream module, phospho 1.3.13, for its column: its built CommonJS entry named by PHOSPHO_UPSTREAM (the
 * registry this project reaches does not carry 1.3.13, so it is built from its published source), or the
 * `phospho-upstream` alias when installed. Undefined when neither is there: the column is then left out.
 */
export function upstreamEntry(): string | undefined {
  if (process.env.PHOSPHO_UPSTREAM) return process.env.PHOSPHO_UPSTREAM;
  try {
    return createRequire(import.meta.url).resolve("phospho-upstream");
  } catch {
    return undefined;
  }
}

interface UpstreamModule {
  phospho: {
    init(options: Record<string, unknown>): Promise<void>;
    log(params: Record<string, unknown>): Promise<unknown>;
    sendBatch(): Promise<void>;
  };
}
export type Scenario = "strings" | "completion" | "stream";

export interface Client {
  /** One logged task; returns a promise only for streams (whose cost includes consuming the stream). */
  call(scenario: Scenario, i: number): void | Promise<void>;
  /** Delivers everything and stops background work. */
  close(): Promise<void>;
}

const query = openaiQuery(false);
const streamQuery = openaiQuery(true);
const completion = openaiCompletion();

async function consume(stream: FakeStream<(typeof STREAM_PARTS)[number]>): Promise<void> {
  for await (const part of stream) void part;
}

export async function makeClient(name: ClientName, sinkUrl: string, queueOnly: boolean): Promise<Client> {
  // "Queue only": batches larger than the run and intervals longer than it, so nothing leaves the process.
  const hold = queueOnly;
  switch (name) {
    case "phospho": {
      const { Phospho } = await loadSdk();
      const phospho = new Phospho();
      phospho.init({
        apiKey: "phk_bench",
        projectId: "bench",
        baseUrl: `${sinkUrl}/v2`,
        ...(hold ? { batchSize: 1_000_000, flushIntervalMs: 3_600_000 } : {}),
        maxQueueEvents: 1_000_000,
        maxQueueBytes: 2_000_000_000,
        onError: () => {},
      });
      return {
        call(scenario) {
          if (scenario === "strings") void phospho.log({ input: QUESTION, output: ANSWER });
          else if (scenario === "completion") void phospho.log({ input: query, output: completion });
          else {
            const stream = new FakeStream(STREAM_PARTS);
            void phospho.log({ input: streamQuery, output: stream, stream: true });
            return consume(stream);
          }
        },
        async close() {
          await phospho.flush(30_000);
          await phospho.shutdown(5_000);
        },
      };
    }
    case "upstream": {
      const entry = upstreamEntry();
      if (!entry) throw new Error("phospho 1.3.13 is not installed: set PHOSPHO_UPSTREAM");
      const { phospho } = createRequire(import.meta.url)(entry) as UpstreamModule;
      // Its send is a 500 ms debounce that cannot be configured (`tick` is never applied), so nothing is held.
      await phospho.init({
        apiKey: "phk_bench",
        projectId: "bench",
        baseUrl: `${sinkUrl}/v2`,
        pathToHash: null,
      });
      return {
        call(scenario) {
          if (scenario === "strings") void phospho.log({ input: QUESTION, output: ANSWER }).catch(() => {});
          else if (scenario === "completion")
            void phospho.log({ input: query, output: completion }).catch(() => {});
          else {
            const stream = new FakeStream(STREAM_PARTS);
            void phospho.log({ input: streamQuery, output: stream, stream: true }).catch(() => {});
            return consume(stream);
          }
        },
        async close() {
          await phospho.sendBatch();
        },
      };
    }
    case "langfuse": {
      const langfuse = new Langfuse({
        publicKey: "pk-lf-bench",
        secretKey: "sk-lf-bench",
        baseUrl: sinkUrl,
        ...(hold ? { flushAt: 1_000_000, flushInterval: 3_600_000 } : {}),
      });
      const record = (input: unknown, output: unknown, model?: string) => {
        const trace = langfuse.trace({ name: "llm-task", input, output });
        trace.generation({ name: "completion", model: model ?? null, input, output });
      };
      return {
        call(scenario) {
          if (scenario === "strings") record(QUESTION, ANSWER);
          else if (scenario === "completion") record(query, completion, query.model);
          else {
            const stream = new FakeStream(STREAM_PARTS);
            return (async () => {
              const parts: Array<(typeof STREAM_PARTS)[number]> = [];
              for await (const part of stream) parts.push(part);
              record(streamQuery, concatStream(parts), streamQuery.model);
            })();
          }
        },
        async close() {
          await langfuse.shutdownAsync();
        },
      };
    }
    case "posthog": {
      const posthog = new PostHog("phc_bench", {
        host: sinkUrl,
        disableGeoip: true,
        ...(hold ? { flushAt: 1_000_000, flushInterval: 3_600_000, maxQueueSize: 1_000_000 } : {}),
      });
      const capture = (input: unknown, output: unknown) =>
        posthog.capture({ distinctId: "user-1", event: "llm_task", properties: { input, output } });
      return {
        call(scenario) {
          if (scenario === "strings") capture(QUESTION, ANSWER);
          else if (scenario === "completion") capture(query, completion);
          else {
            const stream = new FakeStream(STREAM_PARTS);
            return (async () => {
              const parts: Array<(typeof STREAM_PARTS)[number]> = [];
              for await (const part of stream) parts.push(part);
              capture(streamQuery, concatStream(parts));
            })();
          }
        },
        async close() {
          await posthog.shutdown(30_000);
        },
      };
    }
    case "array": {
      const sink: unknown[] = [];
      const strings = { input: QUESTION, output: ANSWER };
      const objects = { input: query, output: completion };
      return {
        call(scenario) {
          if (scenario === "strings") sink.push(strings);
          else if (scenario === "completion") sink.push(objects);
          else {
            const stream = new FakeStream(STREAM_PARTS);
            return (async () => {
              const parts: Array<(typeof STREAM_PARTS)[number]> = [];
              for await (const part of stream) parts.push(part);
              sink.push({ input: streamQuery, output: concatStream(parts) });
            })();
          }
        },
        async close() {
          sink.length = 0;
        },
      };
    }
  }
}
