/**
 * Project and key management in the UI, in real headless Chromium, against the security API's contract
 * (`/api/projects/:id/keys`, `POST /api/projects`, `PATCH /api/projects/:id`). Steps whose endpoint this
 * collector does not have yet are skipped with a notice, not passed.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from "./support/chromium.js";
import { startServer, type TestServer } from "./support/server.js";

const enabled = chromiumAvailable();

describe.skipIf(!enabled)("project and key management", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  /** Whether the collector serves an endpoint (not a 404 "route not found"). */
  async function has(method: string, path: string): Promise<boolean> {
    const status = await page.evaluate(
      async ([m, p]) =>
        (
          await fetch(p ?? "", {
            method: m,
            headers: { "content-type": "application/json" },
            body: m === "GET" ? null : "{}",
          })
        ).status,
      [method, path] as const,
    );
    if (status === 404) console.warn(`[notice] ${method} ${path} is not in this collector: step skipped`);
    return status !== 404;
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(10_000);
    await page.goto(await server.signInLink());
    await page.waitForURL(/\/overview/);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("opens Settings from the navigation, with the project's id and name", async () => {
    await page.click('nav.sections a:has-text("Settings")');
    await page.waitForURL(/\/settings$/);
    await page.waitForSelector('input[name="project_name"]');
    expect(await page.inputValue('input[name="project_name"]')).toBe("Travel assistant");
    expect(await page.locator("#project-title ~ p code").textContent()).toBe(server.projectId);
    expect(await page.title()).toBe("Settings · phospho");
  });

  it("creates a key shown once, lists keys by prefix and last use, and revokes one", async (ctx) => {
    if (!(await has("GET", `/api/projects/${server.projectId}/keys`))) return ctx.skip();
    await page.goto(`${server.origin}/projects/${server.projectId}/settings`);
    await page.waitForSelector("table.keys-table tbody tr");
    const before = await page.locator("table.keys-table tbody tr").count();
    await page.fill('input[name="key_name"]', "ci");
    await page.click('button:has-text("Create key")');
    const key = (await page.locator('[data-testid="new-key"]').textContent()) ?? "";
    expect(key).toMatch(/^phk_/);
    await page.waitForFunction(
      (n) => document.querySelectorAll("table.keys-table tbody tr").length === n + 1,
      before,
    );
    const prefixes = await page.locator("table.keys-table tbody td[data-label='Prefix']").allTextContents();
    expect(prefixes.some((p) => key.startsWith(p.replace("…", "")))).toBe(true);
    // The list shows a prefix only, and once the page is left the key is nowhere to be read again.
    expect(await page.locator("table.keys-table").textContent()).not.toContain(key.slice(12));
    await page.reload();
    await page.waitForSelector("table.keys-table tbody tr");
    expect(await page.content()).not.toContain(key.slice(12));
    page.once("dialog", (d) => void d.accept());
    const row = page.locator("table.keys-table tbody tr", { hasText: "ci" });
    await row.locator('button:has-text("Revoke")').click();
    await row.locator("text=revoked").waitFor();
    const response = await fetch(`${server.origin}/v2/log/${server.projectId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ batched_log_events: [{ input: "x" }] }),
    });
    expect(response.status).toBe(401);
  });

  it("renames the project and creates another one", async (ctx) => {
    if (!(await has("PATCH", `/api/projects/${server.projectId}`))) return ctx.skip();
    await page.goto(`${server.origin}/projects/${server.projectId}/settings`);
    await page.fill('input[name="project_name"]', "Travel bot");
    await page.click('button:has-text("Rename")');
    await page.waitForSelector('[role="status"]:has-text("Renamed")');
    expect((await server.store.listProjects()).find((p) => p.id === server.projectId)?.name).toBe(
      "Travel bot",
    );
    if (!(await has("POST", "/api/projects"))) return;
    await page.fill('input[name="new_project_name"]', "Second app");
    await page.click('button:has-text("Create project")');
    await page.waitForSelector('[role="status"]:has-text("Second app")');
    expect((await server.store.listProjects()).some((p) => p.name === "Second app")).toBe(true);
  });
});
