import { defineConfig } from "tsup";

// The wrappers (`phospho/openai`, `phospho/anthropic`, `phospho/ai-sdk`) reach the core through one module,
// `src/integrations/shared/core.ts`. Its import of the core becomes an import of the package itself, so a wrapper
// shares the app's `phospho` client instead of bundling a second copy of the core.
const coreAsPackage = {
  name: "core-as-package",
  setup(build: { onResolve: (o: { filter: RegExp }, f: (a: { importer: string }) => unknown) => void }) {
    build.onResolve({ filter: /^\.\.\/\.\.\/index\.js$/ }, (args) =>
      /[\\/]integrations[\\/]shared[\\/]core\.ts$/.test(args.importer)
        ? { path: "phospho", external: true }
        : undefined,
    );
  },
};

// Internal property names, shortened in the built files (esbuild's `mangleProps`): members of the modules behind
// the public surface (pipeline, queue, transport, stream recorder, spool), none of them on a public type, an
// option, the wire format, `stats()`, or an object of the runtime or a provider, and none read by a quoted key.
// Each name appears in no wrapper. Saves about 260 B of the core's min+gz (scripts/size.mjs).
const INTERNAL_PROPERTIES = [
  // pipeline (client/pipeline.ts) and its queue (queue/)
  "enqueueEvent",
  "queuedEventList",
  "enqueueFeedback",
  "sendNow",
  "sendOnPageExit",
  "queuedEvents",
  "hasWork",
  "eventCount",
  "queuedEvent",
  "resize",
  "mergeable",
  "seq",
  "config",
  "queue",
  "event",
  "items",
  "item",
  "kind",
  "merged",
  "drain",
  "peek",
  "fits",
  "tooLarge",
  // transport/
  "authState",
  "send",
  "reported",
  "onRetry",
  "retryAfterMs",
  "retryAfter",
  "timedOut",
  "report",
  "retry",
  "delayMs",
  // extract/ and stream/
  "systemPrompt",
  "rawUsage",
  "maxChars",
  "accumulator",
  "chunks",
  "timeToFirstTokenMs",
  "setUsage",
  // internal/stats.ts (the public `stats()` copy names its fields by spreading the counters, not these)
  "drop",
  "snapshot",
  // the spool (platform/features.ts, spool/, queue/items.ts)
  "origin",
  "file",
  "probe",
  "finish",
  "stop",
  "refill",
  "settle",
  "keep",
  "room",
  "loaded",
  "queueEmpty",
  "versionOf",
  "durable",
  "released",
  "pending",
];

// Two entries, each as ESM (.js) and CommonJS (.cjs) with its own declarations (.d.ts / .d.cts), as the
// package.json `exports` map expects:
// - `index`: every runtime (browsers, workers, edge, React Native); no `node:` import anywhere in it.
// - `node`: the same surface plus the Node-only features (spool, pathToHash), selected by the `node`, `bun`
//   and `deno` conditions.
// No code splitting: one file per entry and format, zero runtime dependencies. esbuild's own tree shaking
// (`treeshake: false` turns off tsup's extra Rollup pass, which wrote the sourceMappingURL comment twice).
// The wrappers are entries of their own, so the core an app imports carries none of their code.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    node: "src/node.ts",
    "integrations/openai/index": "src/integrations/openai/index.ts",
    "integrations/anthropic/index": "src/integrations/anthropic/index.ts",
    "integrations/ai-sdk/index": "src/integrations/ai-sdk/index.ts",
  },
  esbuildPlugins: [coreAsPackage],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  platform: "neutral",
  splitting: false,
  treeshake: false,
  removeNodeProtocol: false,
  external: [/^node:/],
  outExtension: ({ format }) => ({ js: format === "cjs" ? ".cjs" : ".js" }),
  esbuildOptions(options) {
    options.mangleProps = new RegExp(`^(?:${INTERNAL_PROPERTIES.join("|")})$`);
  },
});
