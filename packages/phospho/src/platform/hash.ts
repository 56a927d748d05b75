// Opt-in auto-versioning (`pathToHash`): a short hash of the files under one or more directories. Node only,
// with bounded work; any failure just leaves the version unset.

import { createHash } from "node:crypto";
import * as fs from "node:fs/promises";

const SKIP = new Set(["node_modules", ".git", "dist", ".next", ".turbo", "coverage"]);
const MAX_FILES = 5000;
const MAX_FILE_BYTES = 5_000_000;

async function hashOne(root: string): Promise<string> {
  const hash = createHash("sha256");
  let files = 0;
  const visit = async (dir: string): Promise<void> => {
    const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      if (files >= MAX_FILES) return;
      if (SKIP.has(entry.name)) continue;
      const full = `${dir}/${entry.name}`;
      if (entry.isDirectory()) await visit(full);
      else if (entry.isFile()) {
        const stat = await fs.stat(full);
        if (stat.size > MAX_FILE_BYTES) continue;
        files++;
        hash.update(full.slice(root.length));
        hash.update(await fs.readFile(full));
      }
    }
  };
  await visit(root);
  return hash.digest("hex");
}

/** One directory: its hash. Several: a hash of their sorted hashes, so the order given does not matter. */
export async function hashDirectories(roots: string[]): Promise<string> {
  const hashes = await Promise.all(roots.map((root) => hashOne(root.replace(/[\\/]+$/, ""))));
  if (hashes.length === 1) return (hashes[0] ?? "").slice(0, 12);
  const combined = createHash("sha256");
  for (const h of hashes.sort()) combined.update(h);
  return combined.digest("hex").slice(0, 12);
}
