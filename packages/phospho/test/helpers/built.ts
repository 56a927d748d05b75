// Tests of the built package (dist) need it built; `npm test` builds first, and this builds it if missing.
// Several test files may ask at once (Vitest runs files in parallel), so the build is behind a lock directory.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const packageDir = fileURLToPath(new URL("../..", import.meta.url));
export const repoRoot = fileURLToPath(new URL("../../../..", import.meta.url));

const FILES = [
  "dist/index.js",
  "dist/index.cjs",
  "dist/index.d.ts",
  "dist/index.d.cts",
  "dist/node.js",
  "dist/node.cjs",
];
const LOCK = join(tmpdir(), "phospho-sdk-build.lock");

function built(): boolean {
  return FILES.every((f) => existsSync(join(packageDir, f)));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function ensureBuilt(): void {
  if (built()) return;
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (waited > 120_000) throw new Error(`ensureBuilt: ${LOCK} held for two minutes; remove it if stale`);
      sleepSync(200);
    }
  }
  try {
    if (!built())
      execFileSync("npm", ["run", "build", "-w", "packages/phospho"], { cwd: repoRoot, stdio: "pipe" });
  } finally {
    rmdirSync(LOCK);
  }
}
