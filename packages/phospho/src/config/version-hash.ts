// Opt-in auto-versioning: a short hash of the files under a directory. Runs in the background, Node only,
// with bounded work; any failure just leaves the version unset.

const SKIP = new Set(["node_modules", ".git", "dist", ".next", ".turbo", "coverage"]);
const MAX_FILES = 5000;
const MAX_FILE_BYTES = 5_000_000;

export async function hashDirectory(root: string): Promise<string> {
  const fs = await import("node:fs/promises");
  const crypto = await import("node:crypto");
  const hash = crypto.createHash("sha256");
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
  await visit(root.replace(/[\\/]+$/, ""));
  return hash.digest("hex").slice(0, 12);
}
