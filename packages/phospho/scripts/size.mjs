// Measures the built ESM bundles as an app would ship them: minified by esbuild, then gzipped (level 9).
// - "core": `dist/index.js`, what `import { phospho } from "phospho"` resolves to under the `browser`, `worker`,
//   `workerd`, `edge-light` and default conditions. The first line printed; the figure the README states.
// - "node": `dist/node.js`, the `node`, `bun` and `deno` conditions (the core plus the spool and hashing).
// - each wrapper with the core left out (it imports `phospho`, the app's own copy): what importing it adds.
// Usage: npm run build -w packages/phospho && node packages/phospho/scripts/size.mjs
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const ENTRIES = [
  ["core (browser, worker, edge, default)", "index.js"],
  ["node, bun, deno", "node.js"],
  ["phospho/openai, added", "integrations/openai/index.js"],
  ["phospho/anthropic, added", "integrations/anthropic/index.js"],
  ["phospho/ai-sdk, added", "integrations/ai-sdk/index.js"],
];

for (const [label, file] of ENTRIES) {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../dist/${file}`, import.meta.url))],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    external: ["node:*", "phospho"],
    write: false,
  });
  const code = result.outputFiles[0].contents;
  const gzipped = gzipSync(code, { level: 9 });
  console.log(`${label}: minified: ${code.length} bytes, minified + gzipped: ${gzipped.length} bytes`);
}
