/** Child processes for the bench: measured clients run alone in their own process, so they share nothing. */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { repoRoot } from "./paths.js";

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process, in bytes (Linux /proc); NaN when it cannot be read. */
export function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export class ChildFailedError extends Error {
  override readonly name = "ChildFailedError";
  constructor(script: string, code: number | null, stderr: string) {
    // The thrown error's own line ("MissingPartError: The SDK … is not built") says more than the stack's tail.
    const lines = stderr.trim().split("\n");
    const errorLine = lines.find((l) => /^\s*\w*Error\b.*:/.test(l));
    super(`${script} exited with ${code}: ${errorLine?.trim() ?? lines.slice(-8).join("\n")}`);
  }
}

/** Runs a TypeScript script under tsx and returns the JSON object on its last stdout line. */
export async function runJsonChild<T>(
  script: string,
  args: string[] = [],
  opts: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<T> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--import", "tsx", script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 300_000);
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  clearTimeout(timer);
  const last = stdout.trim().split("\n").pop() ?? "";
  if (code !== 0 || !last.startsWith("{")) throw new ChildFailedError(path.basename(script), code, stderr);
  return JSON.parse(last) as T;
}

/** A long-running child speaking JSON lines: the first line it prints is its "ready" message. */
export interface LineChild<Ready> {
  child: ChildProcess;
  ready: Ready;
  /** Sends one line and resolves with the next line printed. */
  ask<T>(line: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startLineChild<Ready>(script: string, args: string[] = []): Promise<LineChild<Ready>> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: repoRoot,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const ready = JSON.parse(await next()) as Ready;
  return {
    child,
    ready,
    async ask<T>(line: string) {
      const answer = next();
      child.stdin!.write(`${line}\n`);
      return JSON.parse(await answer) as T;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.stdin!.write("stop\n");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface SinkProcess {
  url: string;
  counts(): Promise<{ requests: number; events: Record<string, number>; paths: Record<string, number> }>;
  stop(): Promise<void>;
}

export async function startSinkProcess(): Promise<SinkProcess> {
  const lc = await startLineChild<{ port: number }>(path.join(repoRoot, "bench/lib/sink-main.ts"));
  return {
    url: `http://127.0.0.1:${lc.ready.port}`,
    counts: () => lc.ask("counts"),
    stop: () => lc.stop(),
  };
}
