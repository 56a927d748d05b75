import { defineConfig } from "tsup";

// Two entries, each as ESM (.js) and CommonJS (.cjs) with its own declarations (.d.ts / .d.cts), as the
// package.json `exports` map expects:
// - `index`: every runtime (browsers, workers, edge, React Native); no `node:` import anywhere in it.
// - `node`: the same surface plus the Node-only features (spool, pathToHash), selected by the `node`, `bun`
//   and `deno` conditions.
// No code splitting: one file per entry and format, zero runtime dependencies. esbuild's own tree shaking
// (`treeshake: false` turns off tsup's extra Rollup pass, which wrote the sourceMappingURL comment twice).
// Other entries (the client wrappers under src/integrations/) are added to this list beside these two.
export default defineConfig({
  entry: { index: "src/index.ts", node: "src/node.ts" },
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
});
