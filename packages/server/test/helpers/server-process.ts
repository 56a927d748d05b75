/** The real `phospho-server` binary as a child process, for the CLI, crash and end-to-end tests. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = resolve(PACKAGE_DIR, "dist/cli.js");

/** Builds the package when dist is missing (`npm test` builds first; a lone `vitest run` may not have). */
export function ensureBuilt(): void {
  if (existsSync(CLI)) return;
  execFileSync("npm", ["run", "build"], { cwd: PACKAGE_DIR, stdio: "ignore" });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningServer {
  child: ChildProcess;
  origin: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
}

/** Spawns the CLI; resolves once it prints its listening line, rejects if it exits first. */
export function startServer(args: string[], env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const exited = new Promise<Exit>((done) => child.on("exit", (code, signal) => done({ code, signal })));
  return new Promise((resolveStart, rejectStart) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolveStart({ child, origin: match[1]!, stdout: () => out, stderr: () => err, exited });
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    void exited.then((exit) =>
      rejectStart(new Error(`server exited (${exit.code ?? exit.signal}): ${err}${out}`)),
    );
  });
}

/** Runs the CLI to completion (management commands, failing starts). */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<Exit & { stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on("close", (code, signal) => done({ code, signal, stdout, stderr })));
}
