import { defineConfig } from "tsup";

// ESM (dist/index.js) and CommonJS (dist/index.cjs), each with its own declarations (.d.ts / .d.cts), as the
// package.json `exports` map expects. No code splitting: one file per format, zero runtime dependencies.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  platform: "neutral",
  splitting: false,
  treeshake: true,
  removeNodeProtocol: false,
  // Only reached through dynamic import() in the optional spool and pathToHash: never loaded by browsers.
  external: ["node:fs/promises", "node:crypto"],
  outExtension: ({ format }) => ({ js: format === "cjs" ? ".cjs" : ".js" }),
});
