// The built ESM bundle in real headless Chromium: it loads without any Node module, logs to a collector on
// another origin, and sends keyless feedback. Skipped with a notice when Chromium is missing, unless
// PHOSPHO_REQUIRE_BROWSER=1.

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, packageDir } from "./helpers/built.js";
import { startCollector, waitFor, type TestCollector } from "./helpers/collector.js";

const executablePath = process.env.PHOSPHO_CHROMIUM ?? "/usr/bin/chromium";
const hasBrowser = existsSync(executablePath);
if (!hasBrowser) {
  if (process.env.PHOSPHO_REQUIRE_BROWSER === "1") throw new Error(`Chromium not found at ${executablePath}`);
  console.warn(`[phospho browser test] skipped: no Chromium at ${executablePath}`);
}

let browser: Browser;
let collector: TestCollector;
let site: http.Server;
let siteUrl: string;

describe.skipIf(!hasBrowser)("in a browser", () => {
  beforeAll(async () => {
    ensureBuilt();
    collector = await startCollector();
    const bundle = await readFile(`${packageDir}/dist/index.js`, "utf8");
    site = http.createServer((req, res) => {
      if (req.url === "/phospho.js") {
        res.writeHead(200, { "content-type": "text/javascript" });
        res.end(bundle);
      } else {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<!doctype html><title>app</title>");
      }
    });
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath,
      args: ["--no-sandbox", "--disable-background-networking"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    await new Promise((resolve) => site?.close(resolve));
  });

  it("logs from a page and sends keyless feedback, with no Node module loaded", async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(siteUrl);
    // A string, so that Vitest does not rewrite the page's dynamic import().
    const script = `(async () => {
      const sdk = await import(${JSON.stringify(`${siteUrl}/phospho.js`)});
      const baseUrl = ${JSON.stringify(collector.url)};
      sdk.phospho.init({ apiKey: "browser_key", projectId: "proj_browser", baseUrl, flushIntervalMs: 50 });
      const logged = await sdk.phospho.log({ input: "from the browser", output: "hello" });
      const flushed = await sdk.phospho.flush(5000);
      const feedback = await sdk.sendUserFeedback({ projectId: "proj_browser", taskId: logged.task_id, rawFlag: "👍", baseUrl });
      return { taskId: logged.task_id, flushed, feedback, stats: sdk.phospho.stats() };
    })()`;
    const result = (await page.evaluate(script)) as {
      taskId: string;
      flushed: boolean;
      feedback: unknown;
      stats: Record<string, unknown>;
    };
    expect(pageErrors).toEqual([]);
    expect(result.flushed).toBe(true);
    expect(result.feedback).toEqual({ id: result.taskId, flag: "success" });
    expect(result.stats).toMatchObject({ logged: 1, sent: 1 });
    expect(collector.events.map((e) => e.task_id)).toEqual([result.taskId]);
    expect(collector.feedback[0]).toMatchObject({
      taskId: result.taskId,
      authorization: undefined,
      body: { flag: "success", project_id: "proj_browser" },
    });
  });

  it("delivers a log followed at once by a navigation (pagehide, fetch keepalive)", async () => {
    const page = await browser.newPage();
    await page.goto(siteUrl);
    const taskId = (await page.evaluate(`(async () => {
      const sdk = await import(${JSON.stringify(`${siteUrl}/phospho.js`)});
      await sdk.phospho.init({ apiKey: "k", projectId: "proj_browser", baseUrl: ${JSON.stringify(collector.url)}, flushIntervalMs: 60000 });
      const logged = await sdk.phospho.log({ input: "just before leaving", output: "bye" });
      return logged.task_id;
    })()`)) as string;
    expect(collector.events.map((e) => e.task_id)).not.toContain(taskId);
    await page.goto(`${siteUrl}/next`);
    await waitFor(() => collector.events.some((e) => e.task_id === taskId), 5000);
    await page.close();
  });

  it("on pagehide sends what fits in 64 kB and counts the rest as dropped, reported through onError", async () => {
    const page = await browser.newPage();
    await page.goto(siteUrl);
    const result = (await page.evaluate(`(async () => {
      const sdk = await import(${JSON.stringify(`${siteUrl}/phospho.js`)});
      const errors = [];
      const client = new sdk.Phospho();
      await client.init({ apiKey: "k", projectId: "proj_browser", baseUrl: ${JSON.stringify(collector.url)},
        flushIntervalMs: 60000, onError: (e) => errors.push(e.reason) });
      const small = [];
      for (let i = 0; i < 3; i++) small.push((await client.log({ input: "small " + i })).task_id);
      await client.log({ input: "huge", output: "x".repeat(90000) });
      dispatchEvent(new Event("pagehide"));
      return { small, stats: client.stats(), errors };
    })()`)) as { small: string[]; stats: { dropped: Record<string, number> }; errors: string[] };
    expect(result.stats.dropped).toEqual({ page_exit: 1 });
    expect(result.errors).toEqual(["page_exit"]);
    await waitFor(() => result.small.every((id) => collector.events.some((e) => e.task_id === id)), 5000);
    await page.close();
  });
});
