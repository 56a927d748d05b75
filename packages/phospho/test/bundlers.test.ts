// A small app that imports `phospho` (test/fixtures/app/main.js) is built as an app would build it: webpack 5
// (`target: "web"`), esbuild (`platform: "browser"` and `"neutral"`) and Vite. Each build must finish without
// a single warning and contain no `node:` specifier; then each bundle runs in headless Chromium and logs a
// task into a collector. Skipped with a notice when Chromium is missing, unless PHOSPHO_REQUIRE_BROWSER=1.

import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build as esbuild } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { build as viteBuild, createLogger } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webpack from "webpack";
import { ensureBuilt, packageDir } from "./helpers/built.js";
import { startCollector, waitFor, type TestCollector } from "./helpers/collector.js";

const executablePath = process.env.PHOSPHO_CHROMIUM ?? "/usr/bin/chromium";
const hasBrowser = existsSync(executablePath);
if (!hasBrowser) {
  if (process.env.PHOSPHO_REQUIRE_BROWSER === "1") throw new Error(`Chromium not found at ${executablePath}`);
  console.warn(`[phospho bundler test] skipped: no Chromium at ${executablePath}`);
}

const entry = join(packageDir, "test/fixtures/app/main.js");

interface Built {
  code: string;
  /** `module` for an ES module bundle, `classic` for a script. */
  kind: "module" | "classic";
  warnings: string[];
}

async function withWebpack(outDir: string): Promise<Built> {
  const stats = await new Promise<webpack.Stats>((resolve, reject) => {
    webpack(
      {
        mode: "production",
        target: "web",
        entry,
        output: { path: outDir, filename: "bundle.js" },
        devtool: false,
      },
      (error, result) => (error || !result ? reject(error ?? new Error("no stats")) : resolve(result)),
    );
  });
  const info = stats.toJson({ all: false, warnings: true, errors: true });
  const warnings = [...(info.warnings ?? []), ...(info.errors ?? [])].map((w) => w.message);
  return { code: await readFile(join(outDir, "bundle.js"), "utf8"), kind: "classic", warnings };
}

async function withEsbuild(platform: "browser" | "neutral"): Promise<Built> {
  const result = await esbuild({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform,
    minify: true,
    write: false,
    logLevel: "silent",
  });
  const warnings = [...result.warnings, ...result.errors].map((w) => w.text);
  return { code: result.outputFiles[0]?.text ?? "", kind: "module", warnings };
}

async function withVite(outDir: string): Promise<Built> {
  const warnings: string[] = [];
  const logger = createLogger("warn", { allowClearScreen: false });
  logger.warn = (message) => void warnings.push(message);
  logger.error = (message) => void warnings.push(message);
  await viteBuild({
    configFile: false,
    root: join(packageDir, "test/fixtures/app"),
    logLevel: "warn",
    customLogger: logger,
    build: {
      outDir,
      emptyOutDir: true,
      lib: { entry, formats: ["es"], fileName: () => "bundle.js" },
      rollupOptions: { onwarn: (warning) => void warnings.push(warning.message) },
    },
  });
  return { code: await readFile(join(outDir, "bundle.js"), "utf8"), kind: "module", warnings };
}

let browser: Browser;
let collector: TestCollector;
let site: http.Server;
let siteUrl: string;
let dir: string;
const bundles = new Map<string, Built>();

describe.skipIf(!hasBrowser)("bundlers", () => {
  beforeAll(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), "phospho-bundlers-"));
    collector = await startCollector();
    site = http.createServer((req, res) => {
      const [, name, file] = /^\/([^/]+)\/(.+)$/.exec(req.url ?? "") ?? [];
      const built = name ? bundles.get(name) : undefined;
      if (!built) {
        res.writeHead(404).end();
      } else if (file === "bundle.js") {
        res.writeHead(200, { "content-type": "text/javascript" }).end(built.code);
      } else {
        const setup = `window.phosphoTest = ${JSON.stringify({ baseUrl: collector.url, bundler: name })};`;
        const type = built.kind === "module" ? ' type="module"' : "";
        res
          .writeHead(200, { "content-type": "text/html" })
          .end(`<!doctype html><script>${setup}</script><script${type} src="bundle.js"></script>`);
      }
    });
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath,
      args: ["--no-sandbox", "--disable-background-networking"],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    await new Promise((resolve) => site?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const builds: Array<[string, () => Promise<Built>]> = [
    ["webpack", () => withWebpack(join(dir, "webpack"))],
    ["esbuild-browser", () => withEsbuild("browser")],
    ["esbuild-neutral", () => withEsbuild("neutral")],
    ["vite", () => withVite(join(dir, "vite"))],
  ];

  it.each(builds)(
    "%s builds without a warning and no node: import, and the bundle logs in Chromium",
    async (name, make) => {
      const built = await make();
      expect(built.warnings).toEqual([]);
      expect(built.code).not.toMatch(/["'`]node:/);
      expect(built.code.length).toBeGreaterThan(1000);
      bundles.set(name, built);
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));
      await page.goto(`${siteUrl}/${name}/index.html`);
      await page.waitForFunction("window.phosphoResult !== undefined");
      const result = (await page.evaluate("window.phosphoResult")) as { taskId: string; flushed: boolean };
      expect(pageErrors).toEqual([]);
      expect(result.flushed).toBe(true);
      await waitFor(() => collector.events.some((e) => e.task_id === result.taskId));
      expect(collector.events.find((e) => e.task_id === result.taskId)?.metadata).toEqual({ bundler: name });
      await page.close();
    },
    60_000,
  );
});
