// Tests of the built package (dist) need it built; `npm test` builds first, and this builds it if missing.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const packageDir = fileURLToPath(new URL("../..", import.meta.url));
export const repoRoot = fileURLToPath(new URL("../../../..", import.meta.url));

export function ensureBuilt(): void {
  const files = ["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts"];
  if (files.every((f) => existsSync(`${packageDir}/${f}`))) return;
  execFileSync("npm", ["run", "build", "-w", "packages/phospho"], { cwd: repoRoot, stdio: "pipe" });
}
