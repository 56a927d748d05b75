// The real `phospho-server` (its built CLI) on a SQLite file in a fresh temporary folder, for the end-to-end SDK
// tests. Needs packages/server/dist (`npm test` builds it first).

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./built.js";

export const collectorCli = join(repoRoot, "packages/server/dist/cli.js");
export const hasCollector = existsSync(collectorCli);

export interface CollectorProcess {
  /** The wire base URL, `http://127.0.0.1:PORT/v2`. */
  baseUrl: string;
  /** The collector's SQLite file. */
  dbPath: string;
  stop(): Promise<void>;
}

/** Starts the collector with `project` and `key` ensured; resolves once it listens. */
export async function startCollectorProcess(project: string, key: string): Promise<CollectorProcess> {
  const dir = await mkdtemp(join(tmpdir(), "phospho-sdk-e2e-"));
  const dbPath = join(dir, "db.sqlite");
  const child = spawn(process.execPath, [collectorCli, "--port", "0", "--db", dbPath], {
    env: { ...process.env, PHOSPHO_PROJECT_ID: project, PHOSPHO_API_KEY: key },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stop = async () => {
    child.kill();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const baseUrl = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1]) resolve(`${match[1]}/v2`);
      });
      child.on("exit", (code) => reject(new Error(`phospho-server exited with ${code}: ${out}`)));
    });
    return { baseUrl, dbPath, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
