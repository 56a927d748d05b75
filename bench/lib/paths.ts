/** Where the measured parts live once built, and a clear error when one is missing. */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const sdkEntry = path.join(repoRoot, "packages/phospho/dist/index.js");
export const serverCli = path.join(repoRoot, "packages/server/dist/cli.js");
export const serverStoreEntry = path.join(repoRoot, "packages/server/dist/store/index.js");
export const tmpRoot = path.join(repoRoot, ".tmp", "bench");

/** Thrown when a benchmark needs a part that has not been built; the runner prints it as "skipped: …". */
export class MissingPartError extends Error {
  override readonly name = "MissingPartError";
  constructor(
    readonly part: string,
    readonly file: string,
  ) {
    super(`${part} is not built (${path.relative(repoRoot, file)} missing): run \`npm run build\` first`);
  }
}

export function requirePart(part: string, file: string): string {
  if (!existsSync(file)) throw new MissingPartError(part, file);
  return file;
}
