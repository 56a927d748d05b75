// Optional durable spool (Node only): events that could not be delivered are written as JSON files in
// `spoolDir`, bounded in bytes, and read back at the next start. `node:fs` is imported lazily, on first use,
// so that browsers and edge runtimes never load it.

import type { LogEvent } from "../types.js";

import type * as FsPromises from "node:fs/promises";

type Fs = typeof FsPromises;

const PREFIX = "phospho-spool-";

function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 10);
}

export class Spool {
  readonly #dir: string;
  readonly #maxBytes: number;
  #fs: Promise<Fs> | undefined;

  constructor(dir: string, maxBytes: number) {
    this.#dir = dir.replace(/[\\/]+$/, "");
    this.#maxBytes = maxBytes;
  }

  #load(): Promise<Fs> {
    this.#fs ??= import("node:fs/promises");
    return this.#fs;
  }

  #path(name: string): string {
    return `${this.#dir}/${name}`;
  }

  async #usedBytes(fs: Fs): Promise<number> {
    let total = 0;
    for (const name of await fs.readdir(this.#dir)) {
      if (!name.startsWith(PREFIX)) continue;
      try {
        total += (await fs.stat(this.#path(name))).size;
      } catch {
        // Claimed by another process meanwhile.
      }
    }
    return total;
  }

  /** Writes the events; resolves to `false` (nothing written) when the bound would be exceeded. */
  async write(events: LogEvent[]): Promise<boolean> {
    if (events.length === 0) return true;
    const fs = await this.#load();
    await fs.mkdir(this.#dir, { recursive: true });
    const text = JSON.stringify(events);
    const bytes = new TextEncoder().encode(text).length;
    if ((await this.#usedBytes(fs)) + bytes > this.#maxBytes) return false;
    const name = `${PREFIX}${Date.now()}-${randomSuffix()}.json`;
    // Written under a temporary name and renamed, so a reader never sees half a file.
    const tmp = this.#path(`.tmp-${name}`);
    await fs.writeFile(tmp, text, "utf8");
    await fs.rename(tmp, this.#path(name));
    return true;
  }

  /** Reads and removes every spooled event, oldest file first. */
  async takeAll(): Promise<LogEvent[]> {
    const fs = await this.#load();
    let names: string[];
    try {
      names = (await fs.readdir(this.#dir)).filter((n) => n.startsWith(PREFIX) && n.endsWith(".json")).sort();
    } catch {
      return [];
    }
    const events: LogEvent[] = [];
    for (const name of names) {
      // Renaming first claims the file, so two processes starting together do not both send it.
      const claimed = this.#path(`.claimed-${randomSuffix()}-${name}`);
      try {
        await fs.rename(this.#path(name), claimed);
      } catch {
        continue;
      }
      try {
        const parsed = JSON.parse(await fs.readFile(claimed, "utf8")) as unknown;
        if (Array.isArray(parsed)) events.push(...(parsed as LogEvent[]));
      } catch {
        // A corrupt file is skipped rather than blocking every later start.
      }
      await fs.rm(claimed, { force: true });
    }
    return events;
  }
}
