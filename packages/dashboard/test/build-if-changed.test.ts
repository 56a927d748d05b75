/** `npm start` builds only what changed (scripts/build-if-changed.mjs): stamps, newer sources, missing dist. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isStale, STAMP } from "../../../scripts/build-if-changed.mjs";

describe("build-if-changed", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function pkg() {
    const dir = mkdtempSync(join(tmpdir(), "phospho-build-"));
    dirs.push(dir);
    mkdirSync(join(dir, "src", "deep"), { recursive: true });
    writeFileSync(join(dir, "src", "deep", "a.ts"), "export const a = 1;\n");
    writeFileSync(join(dir, "package.json"), "{}\n");
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, "src", "deep", "a.ts"), old, old);
    utimesSync(join(dir, "package.json"), old, old);
    return dir;
  }
  const stamp = (dir: string) => {
    mkdirSync(join(dir, "dist"), { recursive: true });
    writeFileSync(join(dir, "dist", STAMP), "built\n");
  };

  it("builds a package without a stamp, skips it once stamped, and builds again after a source edit", () => {
    const dir = pkg();
    expect(isStale(dir)).toBe(true);
    stamp(dir);
    expect(isStale(dir)).toBe(false);
    const later = new Date(Date.now() + 5_000);
    writeFileSync(join(dir, "src", "deep", "a.ts"), "export const a = 2;\n");
    utimesSync(join(dir, "src", "deep", "a.ts"), later, later);
    expect(isStale(dir)).toBe(true);
  });

  it("builds again when a new source file appears or the package manifest changes", () => {
    const dir = pkg();
    stamp(dir);
    const later = new Date(Date.now() + 5_000);
    writeFileSync(join(dir, "src", "b.ts"), "export const b = 1;\n");
    utimesSync(join(dir, "src", "b.ts"), later, later);
    expect(isStale(dir)).toBe(true);
    stamp(dir);
    utimesSync(join(dir, "dist", STAMP), new Date(Date.now() + 6_000), new Date(Date.now() + 6_000));
    expect(isStale(dir)).toBe(false);
    utimesSync(join(dir, "package.json"), new Date(Date.now() + 9_000), new Date(Date.now() + 9_000));
    expect(isStale(dir)).toBe(true);
  });
});
