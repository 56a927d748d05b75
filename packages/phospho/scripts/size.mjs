// Measures the built ESM bundle as a browser app would ship it: minified by esbuild, then gzipped.
// Usage: npm run build -w packages/phospho && node packages/phospho/scripts/size.mjs
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const result = await build({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "neutral",
  external: ["node:*"],
  write: false,
});
const code = result.outputFiles[0].contents;
const gzipped = gzipSync(code, { level: 9 });
console.log(`minified: ${code.length} bytes, minified + gzipped: ${gzipped.length} bytes`);
