/** Spawns the real `phospho-server` binary on 127.0.0.1 and waits until it answers /health. */
import { spawn, type ChildProcess } from "node:child_process";
import { serverCli, requirePart, repoRoot } from "./paths.js";
import { freePort, rssBytes } from "./process.js";

export const BENCH_PROJECT_ID = "bench_project";
export const BENCH_API_KEY = "phk_bench_0123456789abcdef0123456789abcdef";

export interface CollectorOptions {
  /** SQLite file path or postgres:// URL. */
  db: string;
  port?: number;
  projectId?: string;
  apiKey?: string;
  env?: NodeJS.ProcessEnv;
  /** Pins the collector to this CPU (`taskset -c`, util-linux), for scale-out runs that give each its own core. */
  cpu?: number;
  /** Another build's `cli.js` (a copy of an older dist, to compare builds); default: the built collector. */
  cli?: string;
  /** Extra node flags before the script, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

export interface Collector {
  port: number;
  pid: number;
  /** Origin, e.g. http://127.0.0.1:7878 */
  origin: string;
  /** SDK base URL: origin + /v2 */
  baseUrl: string;
  projectId: string;
  apiKey: string;
  process: ChildProcess;
  rss(): number;
  /** Sends a signal and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Graceful stop (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
  output(): string;
}

export class CollectorStartError extends Error {
  override readonly name = "CollectorStartError";
}

export async function startCollector(opts: CollectorOptions): Promise<Collector> {
  const cli = requirePart("The collector (packages/server)", opts.cli ?? serverCli);
  const port = opts.port ?? (await freePort());
  const projectId = opts.projectId ?? BENCH_PROJECT_ID;
  const apiKey = opts.apiKey ?? BENCH_API_KEY;
  const args = [...(opts.nodeArgs ?? []), cli, "--port", String(port), "--db", opts.db];
  // taskset execs node in its own process, so the pid is the collector's.
  const [command, argv] =
    opts.cpu === undefined
      ? [process.execPath, args]
      : ["taskset", ["-c", String(opts.cpu), process.execPath, ...args]];
  const child = spawn(command, argv, {
    cwd: repoRoot,
    env: { ...process.env, PHOSPHO_PROJECT_ID: projectId, PHOSPHO_API_KEY: apiKey, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (c: Buffer) => {
    output = (output + c.toString()).slice(-8_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new CollectorStartError(`phospho-server exited at start (${child.exitCode}): ${output.trim()}`);
    }
    try {
      const res = await fetch(`${origin}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new CollectorStartError(`phospho-server did not answer /health within 30 s: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const kill = async (signal: NodeJS.Signals = "SIGKILL") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    port,
    pid: child.pid!,
    origin,
    baseUrl: `${origin}/v2`,
    projectId,
    apiKey,
    process: child,
    rss: () => rssBytes(child.pid!),
    kill,
    async stop() {
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await kill("SIGTERM");
      clearTimeout(timer);
    },
    output: () => output,
  };
}
