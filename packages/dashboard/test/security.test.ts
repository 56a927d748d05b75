/**
 * The dashboard's security in real Chromium: links in rendered Markdown with `javascript:` or `data:` URLs are not
 * clickable, a page on another port of the same host cannot flag a task through the signed-in browser (CSRF), and
 * `next=` after sign-in never leaves the dashboard's origin.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from "./support/chromium.js";
import { startServer, type TestServer } from "./support/server.js";

const LINKS_OUTPUT = [
  "Try [js link](javascript:alert(document.domain)) or [data link](data:text/html,<script>alert(1)</script>)",
  'or [vb](vbscript:msgbox(1)) or <a href="javascript:alert(2)">raw anchor</a>',
  "or [safe link](https://example.com/docs).",
].join(" ");

const enabled = chromiumAvailable();

describe.skipIf(!enabled)("dashboard security in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let attacker: Server;
  let attackerOrigin = "";
  const dialogs: string[] = [];

  async function logTask(taskId: string, output: string) {
    const response = await fetch(`${server.origin}/v2/log/${server.projectId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ batched_log_events: [{ task_id: taskId, input: "links please", output }] }),
    });
    expect(response.status).toBe(200);
  }

  async function flagOf(taskId: string): Promise<string | null> {
    const response = await fetch(`${server.origin}/v2/tasks/${taskId}`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { flag: string | null }).flag;
  }

  beforeAll(async () => {
    server = await startServer();
    await logTask("links", LINKS_OUTPUT);
    await logTask("target", "a task an attacker would like to flag");
    // The attacker: a page on another port of 127.0.0.1, the same site as the collector for SameSite cookies.
    attacker = createServer((request, response) => {
      const target = new URL(request.url ?? "/", "http://x").searchParams.get("target") ?? "";
      response.setHeader("content-type", "text/html; charset=utf-8");
      response.end(`<!doctype html><script>
        const target = ${JSON.stringify(target)};
        Promise.allSettled([
          fetch(target, { method: "POST", mode: "no-cors", credentials: "include",
            headers: { "content-type": "text/plain" }, body: JSON.stringify({ flag: "failure" }) }),
          fetch(target, { method: "POST", credentials: "include",
            headers: { "content-type": "application/json" }, body: JSON.stringify({ flag: "failure" }) }),
        ]).then(() => { document.title = "done"; });
      </script>`);
    });
    await new Promise<void>((done) => attacker.listen(0, "127.0.0.1", done));
    attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    context = await browser.newContext();
    context.on("page", (page) =>
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => attacker?.close(done));
    await server?.close();
  });

  it("renders Markdown links with javascript:, data: and vbscript: URLs as nothing clickable", async () => {
    const page = await context.newPage();
    await page.goto(await server.signInLink());
    await page.waitForURL(/\/projects\//);
    await page.goto(`${server.origin}/projects/${server.projectId}/tasks/links`);
    const body = page.locator(".bubble-body", { hasText: "safe link" });
    await body.waitFor();
    const hrefs = await body.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    expect(hrefs).toContain("https://example.com/docs");
    for (const href of hrefs) expect(href).not.toMatch(/^\s*(javascript|data|vbscript):/i);
    // The raw anchor is text, not an element.
    expect(await body.textContent()).toContain('<a href="javascript:alert(2)">raw anchor</a>');
    for (const text of ["js link", "data link", "vb"]) {
      const link = body.locator("a", { hasText: text });
      if ((await link.count()) > 0) await link.first().click();
    }
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(new URL(page.url()).origin).toBe(server.origin);
    await page.close();
  });

  it("does not let a page on another port of the same host flag a task through the signed-in browser", async () => {
    const page = await context.newPage();
    await page.goto(await server.signInLink());
    await page.waitForURL(/\/projects\//);
    const before = await flagOf("target");
    const target = `${server.origin}/api/projects/${server.projectId}/tasks/target/flag`;
    await page.goto(`${attackerOrigin}/?target=${encodeURIComponent(target)}`);
    await page.waitForFunction(() => document.title === "done");
    expect(await flagOf("target")).toBe(before);
    await page.close();
  });

  it("keeps next= on the dashboard's origin after a key sign-in", async () => {
    for (const next of [
      "//evil.example/x",
      "/\\evil.example/x",
      "https://evil.example/x",
      "javascript:alert(1)",
    ]) {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${server.origin}/signin?next=${encodeURIComponent(next)}`);
      await page.fill('input[name="apiKey"]', server.apiKey);
      await page.click('button[type="submit"]');
      await page.waitForURL(`**/projects/${server.projectId}/overview`);
      expect(new URL(page.url()).origin, next).toBe(server.origin);
      expect(await page.locator(".error").count(), next).toBe(0);
      await page.context().close();
    }
    expect(dialogs).toEqual([]);
  });
});
