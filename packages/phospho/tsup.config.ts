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

// ESM (dist/index.js) and CommonJS (dist/index.cjs), each with its own declarations (.d.ts / .d.cts), as the
// package.json `exports` map expects. No code splitting: one file per format, zero runtime dependencies.
export default defineConfig({
  entry: [
    "src/index.ts",
    "src/integrations/openai/index.ts",
    "src/integrations/anthropic/index.ts",
    "src/integrations/ai-sdk/index.ts",
  ],
  esbuildPlugins: [coreAsPackage],
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
