/**
 * `npm start` builds only what changed: a package is rebuilt when a file of its sources is newer than the stamp
 * its last successful build left in dist/ (or when it has no stamp). A second start, with nothing edited, builds
 * nothing and the collector comes up in seconds. `npm run build` still builds everything.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Build order: the SDK, the UI, the collector. */
export const PACKAGES = ["packages/phospho", "packages/dashboard", "packages/server"];
/** What a build reads, besides node_modules. */
const SOURCES = [
  "src",
  "public",
  "index.html",
  "package.json",
  "tsconfig.json",
  "tsup.config.ts",
  "vite.config.ts",
];
export const STAMP = ".build-stamp";

/** The newest modification time (ms) under `path`, or 0 when it does not exist. */
export function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Whether the package at `dir` needs a build: no stamp, or a source newer than it. */
export function isStale(dir) {
  const stamp = join(dir, "dist", STAMP);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return SOURCES.some((s) => newest(join(dir, s)) > built);
}

export function buildChanged(root, log = console.log) {
  for (const pkg of PACKAGES) {
    const dir = join(root, pkg);
    if (!isStale(dir)) {
      log(`${pkg}: up to date`);
      continue;
    }
    log(`${pkg}: building`);
    execFileSync("npm", ["run", "build", "-w", pkg], { cwd: root, stdio: "inherit" });
    writeFileSync(join(dir, "dist", STAMP), `${new Date().toISOString()}\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildChanged(resolve(fileURLToPath(new URL("..", import.meta.url))));
}
