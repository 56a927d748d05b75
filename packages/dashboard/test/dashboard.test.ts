/**
 * The dashboard in real headless Chromium, against a real phospho-server into which the real SDK logged data:
 * sign-in link, tasks, filters (date, flag, metadata), search, task detail with feedback (checked through the
 * v2 read API), session and user pages, CSV export, live updates, the empty state, and HTML in outputs staying
 * text.
 */
import { readFile } from "node:fs/promises";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from "./support/chromium.js";
import { backfill, logWithSdk, makeTasks } from "./support/seed.js";
import { startServer, type TestServer } from "./support/server.js";

const XSS_OUTPUT = 'Here you go: <img src=x onerror=alert(1)> and <script>alert("pwned")</script> done';
const enabled = chromiumAvailable();

describe.skipIf(!enabled)("dashboard in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const recent = makeTasks(8, 1, "r");
  const old = makeTasks(4, 2, "old");
  let oldTimes = new Map<string, number>();

  const rows = () =>
    page.$$eval("table.tasks-table tbody tr", (trs) => trs.map((tr) => tr.getAttribute("data-task-id")));
  const base = () => `${server.origin}/projects/${server.projectId}`;
  async function readTask(taskId: string) {
    const response = await fetch(`${server.origin}/v2/tasks/${taskId}`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { flag: string | null; notes: string | null };
  }
  async function waitForRows(expected: string[]) {
    await page.waitForFunction(
      (want) => {
        const ids = [...document.querySelectorAll("table.tasks-table tbody tr")].map((tr) =>
          tr.getAttribute("data-task-id"),
        );
        return JSON.stringify([...ids].sort()) === JSON.stringify([...want].sort());
      },
      expected,
      { timeout: 10_000 },
    );
    expect((await rows()).sort()).toEqual([...expected].sort());
  }

  beforeAll(async () => {
    server = await startServer();
    oldTimes = await backfill(server.origin, server.projectId, server.apiKey, old, {
      minAgeDays: 10,
      maxAgeDays: 50,
    });
    await logWithSdk(`${server.origin}/v2`, server.projectId, server.apiKey, recent, [
      {
        input: "Show me some HTML",
        output: XSS_OUTPUT,
        taskId: "xss",
        sessionId: "xss_session",
        userId: "mallory",
      },
    ]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("redirects to the sign-in page without a session, then signs in with the printed link", async () => {
    await page.goto(`${base()}/tasks`);
    expect(new URL(page.url()).pathname).toBe("/signin");
    await page.goto(await server.signInLink());
    await page.waitForURL(`**/projects/${server.projectId}/overview`);
    await page.waitForSelector(".stat");
    const total = await page
      .locator(".stat", { hasText: "Tasks" })
      .first()
      .locator(".stat-value")
      .textContent();
    // The overview opens on the last 7 days: the backfilled history (10 to 50 days old) is not counted.
    expect(Number(total)).toBe(recent.length + 1);
    await page.selectOption('select[name="range"]', "all");
    await page.waitForURL(/range=all/);
    const tasksStat = page.locator(".stat", { hasText: "Tasks" }).first().locator(".stat-value");
    await page.waitForFunction(([selector, want]) => document.querySelector(selector)?.textContent === want, [
      ".stats .stat .stat-value",
      String(recent.length + old.length + 1),
    ] as const);
    expect(Number(await tasksStat.textContent())).toBe(recent.length + old.length + 1);
  });

  it("shows every logged task in the tasks table", async () => {
    await page.goto(`${base()}/tasks?range=all`);
    await waitForRows([...recent, ...old].map((t) => t.taskId).concat("xss"));
    const first = page.locator('tr[data-task-id="r0_0"]');
    await expect(first.textContent()).resolves.toContain("Plan a 3-day trip to Lisbon");
  });

  it("filters by date range, keeps the filter in the URL, and a reload reproduces the view", async () => {
    await page.goto(`${base()}/tasks?range=all`);
    await page.selectOption('select[name="range"]', "24h");
    await page.waitForURL(/range=24h/);
    const recentIds = recent.map((t) => t.taskId).concat("xss");
    await waitForRows(recentIds);
    await page.reload();
    await waitForRows(recentIds);
    await page.selectOption('select[name="range"]', "custom");
    const to = new Date(Date.now() - 32 * 86_400_000).toISOString().slice(0, 10);
    await page.fill('input[name="to"]', to);
    await page.waitForURL(/to=/);
    const endOfDay = Date.parse(`${to}T00:00:00Z`) + 86_400_000 - 1;
    const expected = [...oldTimes].filter(([, ms]) => ms <= endOfDay).map(([id]) => id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(old.length);
    await waitForRows(expected);
  });

  it("filters by flag", async () => {
    await page.goto(`${base()}/tasks?range=7d`);
    await page.selectOption('select[name="flag"]', "failure");
    await page.waitForURL(/flag=failure/);
    await waitForRows(recent.filter((t) => t.flag === "failure").map((t) => t.taskId));
    await page.selectOption('select[name="flag"]', "none");
    await waitForRows(
      recent
        .filter((t) => t.flag === null)
        .map((t) => t.taskId)
        .concat("xss"),
    );
  });

  it("filters by a metadata key=value", async () => {
    await page.goto(`${base()}/tasks?range=7d`);
    await page.fill('input[name="meta_key"]', "plan");
    await page.fill('input[name="meta_value"]', "pro");
    await page.click('button:has-text("Add filter")');
    await page.waitForURL(/meta=plan%3Dpro/);
    await waitForRows(recent.filter((t) => t.plan === "pro").map((t) => t.taskId));
    expect(await page.locator(".chip").textContent()).toContain("plan = pro");
  });

  it("searches inputs and outputs", async () => {
    await page.goto(`${base()}/tasks?range=all`);
    await page.fill('input[name="q"]', "sintra");
    await page.click('form[role="search"] button');
    await page.waitForURL(/q=sintra/);
    await waitForRows(
      [...recent, ...old].filter((t) => /sintra/i.test(t.input + t.output)).map((t) => t.taskId),
    );
  });

  it("opens a task, gives it feedback and notes, visible through the v2 read API", async () => {
    const target = recent.find((t) => t.flag !== "failure") ?? recent[0];
    if (!target) throw new Error("no seed task");
    await page.goto(`${base()}/tasks`);
    await page.click(`tr[data-task-id="${target.taskId}"] td.text-cell >> nth=0`);
    await page.waitForURL(`**/tasks/${target.taskId}`);
    await expect(page.locator(".bubble.user").textContent()).resolves.toContain(target.input.slice(0, 20));
    await expect(page.locator(".bubble.system").textContent()).resolves.toContain("travel assistant");
    await page.click(".page-head button.thumb-down");
    await page.waitForSelector('.page-head button.thumb-down[aria-pressed="true"]');
    expect((await readTask(target.taskId)).flag).toBe("failure");
    await page.fill('textarea[name="notes"]', "Wrong airport terminal");
    await page.click('button:has-text("Save notes")');
    await page.waitForSelector("text=Saved");
    expect((await readTask(target.taskId)).notes).toBe("Wrong airport terminal");
    await page.waitForSelector('.feedback-history td:has-text("owner")');
    await page.waitForSelector('.feedback-history td:has-text("Wrong airport terminal")');
    await expect(page.locator("table.metadata").textContent()).resolves.toContain("plan");
  });

  it("gives inline thumbs up from the table", async () => {
    const target = recent.find((t) => t.flag === null);
    if (!target) throw new Error("no unflagged seed task");
    await page.goto(`${base()}/tasks`);
    await page.click(`tr[data-task-id="${target.taskId}"] button[aria-label="Thumbs up"]`);
    await page.waitForSelector(
      `tr[data-task-id="${target.taskId}"] button[aria-label="Thumbs up"][aria-pressed="true"]`,
    );
    expect((await readTask(target.taskId)).flag).toBe("success");
    expect(new URL(page.url()).pathname).toBe(`/projects/${server.projectId}/tasks`);
  });

  it("opens a session with its transcript in order", async () => {
    const session = recent.filter((t) => t.sessionId === "rsession_0");
    await page.goto(`${base()}/sessions`);
    await page.click('tr[data-session-id="rsession_0"] td.text-cell');
    await page.waitForURL("**/sessions/rsession_0");
    await page.waitForSelector("article.turn");
    const turns = await page.$$eval("article.turn", (as) => as.map((a) => a.getAttribute("data-task-id")));
    expect(turns).toEqual(session.map((t) => t.taskId));
  });

  it("opens a user with their numbers and sessions", async () => {
    const user = recent[0]?.userId ?? "";
    await page.goto(`${base()}/users`);
    await page.click(`tr[data-user-id="${user}"] a`);
    await page.waitForURL(`**/users/${user}`);
    await page.waitForSelector(`h1:has-text("User ${user}")`);
    await expect(page.locator("h1").textContent()).resolves.toBe(`User ${user}`);
    const tasks = [...recent, ...old].filter((t) => t.userId === user).length;
    expect(await page.locator(".stat", { hasText: "Tasks" }).locator(".stat-value").textContent()).toBe(
      String(tasks),
    );
  });

  it("exports the filtered view as CSV", async () => {
    await page.goto(`${base()}/tasks?flag=success&range=all`);
    await page.waitForSelector("table.tasks-table");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('a:has-text("Export CSV")'),
    ]);
    const text = await readFile((await download.path()) ?? "", "utf8");
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^id,created_at,/);
    const ids = lines.slice(1).map((l) => l.split(",")[0]);
    const expected = await fetch(`${server.origin}/v2/projects/${server.projectId}/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ filters: { flag: "success" }, limit: 1000 }),
    }).then(async (r) => ((await r.json()) as { tasks: Array<{ id: string }> }).tasks.map((t) => t.id));
    expect(ids.sort()).toEqual(expected.sort());
    expect(ids.length).toBeGreaterThan(0);
  });

  it("shows HTML in an output as text: no dialog, no injected element", async () => {
    await page.goto(`${base()}/tasks/xss`);
    await page.waitForSelector(".bubble.assistant");
    const text = await page.locator(".bubble.assistant .bubble-body").textContent();
    expect(text).toContain("<img src=x onerror=alert(1)>");
    expect(text).toContain('<script>alert("pwned")</script>');
    expect(await page.$("img[src=x]")).toBeNull();
    expect(
      await page.$$eval("script", (ss) => ss.filter((s) => (s.textContent ?? "").includes("pwned")).length),
    ).toBe(0);
    await page.goto(`${base()}/tasks`);
    await page.waitForSelector('tr[data-task-id="xss"]');
    expect(await page.locator('tr[data-task-id="xss"]').textContent()).toContain("<img src=x");
    expect(await page.$("img[src=x]")).toBeNull();
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
  });

  it("shows new tasks without a reload", async () => {
    await page.goto(`${base()}/tasks`);
    await page.waitForSelector('tr[data-task-id="xss"]');
    await logWithSdk(`${server.origin}/v2`, server.projectId, server.apiKey, makeTasks(1, 9, "live"));
    await page.waitForSelector('tr[data-task-id="live0_0"]', { timeout: 15_000 });
  });

  it("shows the logging snippet for a project without tasks, opened by pasting its API key", async () => {
    const empty = await server.store.createProject("Empty", "proj_empty");
    const { key } = await server.store.createApiKey(empty.id);
    await page.goto(`${server.origin}/signin`);
    await page.fill('input[name="apiKey"]', key);
    await page.click('button[type="submit"]');
    await page.waitForURL("**/projects/proj_empty/overview");
    const snippet = await page.locator('[data-testid="empty-state"]').textContent();
    for (const needle of [
      "proj_empty",
      `${server.origin}/v2`,
      "PHOSPHO_API_KEY",
      "PHOSPHO_PROJECT_ID",
      "PHOSPHO_BASE_URL",
    ]) {
      expect(snippet).toContain(needle);
    }
    const options = await page.$$eval('select[aria-label="Project"] option', (os) =>
      os.map((o) => (o as HTMLOptionElement).value),
    );
    expect(options).toEqual(expect.arrayContaining(["proj_travel", "proj_empty"]));
  });
});
