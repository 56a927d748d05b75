// The package as users get it: the built dist delivers a log from a script that ends right after `log()`,
// and the packed tarball installs offline, imports, requires and type-checks, with no runtime dependencies.

import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type TestCollector } from "./helpers/collector.js";
import { ensureBuilt, packageDir, repoRoot } from "./helpers/built.js";

const run = promisify(execFile);
let collector: TestCollector;
let work: string;

beforeAll(async () => {
  ensureBuilt();
  collector = await startCollector();
  work = await mkdtemp(join(tmpdir(), "phospho-pkg-"));
});

afterAll(async () => {
  await collector.close();
  await rm(work, { recursive: true, force: true });
});

const childEnv = () => ({
  ...process.env,
  PHOSPHO_API_KEY: "child_key",
  PHOSPHO_PROJECT_ID: "child_project",
  PHOSPHO_BASE_URL: collector.url,
});

describe("process exits right after log()", () => {
  it("an ESM script that logs and ends delivers its event (beforeExit flush)", async () => {
    const script = join(work, "exit.mjs");
    await writeFile(
      script,
      `import { phospho } from ${JSON.stringify(`${packageDir}/dist/index.js`)};
phospho.init({ flushIntervalMs: 60000 });
phospho.log({ input: "last words", output: "delivered anyway" });
`,
    );
    await run(process.execPath, [script], { env: childEnv(), timeout: 20_000 });
    expect(collector.events.map((e) => e.input)).toContain("last words");
  });

  it("a CommonJS script too, even when the first attempt fails and is retried", async () => {
    collector.plan.push({ status: 503 });
    const script = join(work, "exit.cjs");
    await writeFile(
      script,
      `const { phospho } = require(${JSON.stringify(`${packageDir}/dist/index.cjs`)});
phospho.init({ flushIntervalMs: 60000, retryInitialDelayMs: 200 });
phospho.log({ input: "cjs last words" });
`,
    );
    await run(process.execPath, [script], { env: childEnv(), timeout: 20_000 });
    expect(collector.events.map((e) => e.input)).toContain("cjs last words");
  });
});

describe("packed package", () => {
  let project: string;

  beforeAll(async () => {
    const packDir = join(work, "pack");
    project = join(work, "project");
    await run("mkdir", ["-p", packDir, project]);
    await run("npm", ["pack", "--pack-destination", packDir], { cwd: packageDir });
    const tarball = (await readdir(packDir)).find((n) => n.endsWith(".tgz"));
    expect(tarball).toBeDefined();
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    await run(
      "npm",
      [
        "install",
        "--offline",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        join(packDir, tarball as string),
      ],
      { cwd: project, timeout: 60_000 },
    );
  }, 120_000);

  it("has no runtime dependencies, ships its LICENSE and metadata, one sourceMappingURL per file", async () => {
    const manifest = JSON.parse(
      await readFile(join(project, "node_modules/phospho/package.json"), "utf8"),
    ) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(Object.keys(manifest)).toEqual(
      expect.arrayContaining(["repository", "homepage", "bugs", "keywords", "license"]),
    );
    const files = await readdir(join(project, "node_modules/phospho"));
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", "dist"]));
    expect(await readFile(join(project, "node_modules/phospho/LICENSE"), "utf8")).toContain("Apache License");
    for (const file of ["index.js", "index.cjs", "node.js", "node.cjs"]) {
      const code = await readFile(join(project, "node_modules/phospho/dist", file), "utf8");
      expect(code.match(/sourceMappingURL/g)).toHaveLength(1);
    }
    const installed = await readdir(join(project, "node_modules"));
    expect(installed.filter((n) => !n.startsWith("."))).toEqual(["phospho"]);
  });

  it("works with import (named and default) and with require", async () => {
    const esm = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import phospho, { phospho as named, Phospho, PhosphoConfigError } from "phospho";
         if (phospho !== named || !(named instanceof Phospho)) throw new Error("default !== named");
         try { new Phospho().init({ projectId: "p" }); } catch (e) { if (!(e instanceof PhosphoConfigError)) throw e; }
         console.log("esm ok", typeof phospho.log);`,
      ],
      { cwd: project, env: { ...process.env, PHOSPHO_API_KEY: "" } },
    );
    expect(esm.stdout).toContain("esm ok function");
    const cjs = await run(
      process.execPath,
      [
        "-e",
        `const { phospho, Phospho, sendUserFeedback } = require("phospho");
         if (!(phospho instanceof Phospho) || typeof sendUserFeedback !== "function") throw new Error("bad cjs");
         console.log("cjs ok", typeof phospho.flush);`,
      ],
      { cwd: project },
    );
    expect(cjs.stdout).toContain("cjs ok function");
  });

  it("type-checks against the published types (ESM and CJS) with lib ES2022 only: no DOM, no @types/node", async () => {
    await writeFile(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
          lib: ["ES2022"],
        },
        files: ["check.mts", "check.cts"],
      }),
    );
    await writeFile(
      join(project, "check.mts"),
      `import phospho, { Phospho, type LogEvent, type PhosphoOptions, type PhosphoStats } from "phospho";
const options: PhosphoOptions = { apiKey: "k", projectId: "p", batchSize: 10 };
const client: Phospho = new Phospho(options);
const logged: Promise<LogEvent> = phospho.log({ input: "x", output: "y", anything: 1 });
const flushed: Promise<boolean> = client.flush(100);
const stats: PhosphoStats = client.stats();
const ready: Promise<void> = phospho.init({ tick: 500, pathToHash: ["src", "lib"], strict: false });
const task: Promise<unknown> = phospho.userFeedback({ projectId: "p", taskId: "t", notes: "n" });
const key: string | undefined = phospho.apiKey;
const queue: number = phospho.logQueue.size;
export { logged, flushed, stats, ready, task, key, queue };
`,
    );
    await writeFile(
      join(project, "check.cts"),
      `import sdk = require("phospho");
const done: Promise<boolean> = sdk.phospho.shutdown();
export = done;
`,
    );
    const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
    const result = await run(process.execPath, [tsc, "-p", project], { cwd: project }).catch(
      (error: { stdout?: string }) => ({ stdout: `FAILED ${error.stdout ?? ""}` }),
    );
    expect(result.stdout).toBe("");
  });

  it("accepts the runtime's own fetch where the DOM lib is present", async () => {
    await writeFile(
      join(project, "tsconfig.dom.json"),
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
          lib: ["ES2022", "DOM"],
        },
        files: ["check-dom.mts"],
      }),
    );
    await writeFile(
      join(project, "check-dom.mts"),
      `import { Phospho, sendUserFeedback } from "phospho";
const client = new Phospho({ apiKey: "k", projectId: "p", fetch });
void client.init({ fetch: globalThis.fetch.bind(globalThis) });
void sendUserFeedback({ projectId: "p", taskId: "t", flag: "success", fetch });
`,
    );
    const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
    const result = await run(process.execPath, [tsc, "-p", join(project, "tsconfig.dom.json")], {
      cwd: project,
    }).catch((error: { stdout?: string }) => ({ stdout: `FAILED ${error.stdout ?? ""}` }));
    expect(result.stdout).toBe("");
  });
});
