// Optional durable spool (Node only): events that could not be delivered are written as JSON files in
// `spoolDir`, bounded in bytes, and read back while the client runs or at the next start. A file is only
// read here, never removed on reading: the caller removes it once its events are acknowledged (see
// `redelivery.ts`). Only the Node entry (`src/node.ts`) creates one, handing it `node:fs/promises`, so no
// other build contains this code.

import type * as FsPromises from "node:fs/promises";
import type { LogEvent } from "../types.js";

type Fs = typeof FsPromises;

const PREFIX = "phospho-spool-";
const SUFFIX = ".json";

/** Orders the files written by this process within one millisecond. */
let writeCounter = 0;

function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 10);
}

/** One spool file read back; `events` is undefined when the file is corrupt. */
export interface SpoolFile {
  name: string;
  events: LogEvent[] | undefined;
}

export class Spool {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #fs: Promise<Fs>;

  constructor(dir: string, maxBytes: number, fs: Fs) {
    this.#fs = Promise.resolve(fs);
    this.#dir = dir.replace(/[\\/]+$/, "");
    this.#maxBytes = maxBytes;
  }

  #load(): Promise<Fs> {
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
        // Removed by another client meanwhile.
      }
    }
    return total;
  }

  /** Writes the events as one file; resolves to `false` (nothing written) when the bound would be exceeded. */
  async write(events: LogEvent[]): Promise<boolean> {
    if (events.length === 0) return true;
    const fs = await this.#load();
    // Owner-only: spooled events hold prompts and completions (a folder created here is 0700, each file 0600).
    await fs.mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const text = JSON.stringify(events);
    const bytes = new TextEncoder().encode(text).length;
    if ((await this.#usedBytes(fs)) + bytes > this.#maxBytes) return false;
    // Names sort in writing order: milliseconds (13 digits until the year 2286), then a per-process counter.
    const counter = String(++writeCounter).padStart(9, "0");
    const name = `${PREFIX}${Date.now()}-${counter}-${randomSuffix()}${SUFFIX}`;
    // Written under a temporary name and renamed, so a reader never sees half a file.
    const tmp = this.#path(`.tmp-${name}`);
    await fs.writeFile(tmp, text, { encoding: "utf8", mode: 0o600 });
    await fs.rename(tmp, this.#path(name));
    return true;
  }

  /** Names of the spooled files, oldest first; empty when the directory does not exist. */
  async list(): Promise<string[]> {
    const fs = await this.#load();
    try {
      return (await fs.readdir(this.#dir)).filter((n) => n.startsWith(PREFIX) && n.endsWith(SUFFIX)).sort();
    } catch {
      return [];
    }
  }

  /** Reads one file; undefined when another client removed it meanwhile. */
  async read(name: string): Promise<SpoolFile | undefined> {
    const fs = await this.#load();
    let text: string;
    try {
      text = await fs.readFile(this.#path(name), "utf8");
    } catch {
      return undefined;
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      return { name, events: Array.isArray(parsed) ? (parsed as LogEvent[]) : undefined };
    } catch {
      return { name, events: undefined };
    }
  }

  /** Removes a delivered file. Already gone (another client delivered it too) is fine. */
  async remove(name: string): Promise<void> {
    const fs = await this.#load();
    await fs.rm(this.#path(name), { force: true });
  }

  /** Moves a corrupt file aside (out of the spool's names) so it neither blocks nor is retried forever. */
  async quarantine(name: string): Promise<void> {
    const fs = await this.#load();
    try {
      await fs.rename(this.#path(name), this.#path(`corrupt-${name}`));
    } catch {
      // Gone already.
    }
  }
}
