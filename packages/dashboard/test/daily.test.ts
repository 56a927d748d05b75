/**
 * The dashboard as a daily tool (issue 12), in real headless Chromium against a real phospho-server: one test
 * per defect found when using it as a new user would, at 1440×900, plus the phone layout at 390×844.
 */
import { readFile } from "node:fs/promises";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from "./support/chromium.js";
import { logWithSdk, makeTasks } from "./support/seed.js";
import { startServer, type TestServer } from "./support/server.js";

const enabled = chromiumAvailable();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const TABLE_AND_QUOTE = [
  "| City | Days |",
  "| ---- | ---- |",
  "| Lisbon | 3 |",
  "| Porto | 2 |",
  "",
  "> Book the trams early.",
  "",
  "[click me](javascript:alert(1)) and [docs](https://example.com/docs)",
  "",
  "```js",
  "console.log('hi');",
  "```",
].join("\n");

/** A long answer: must collapse behind "Show more". */
const LONG = Array.from({ length: 80 }, (_, i) => `Paragraph ${i}: a long explanation line.`).join("\n\n");

describe.skipIf(!enabled)("the dashboard as a daily tool", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const now = Date.now();
  /** 4 days ago at 03:30 UTC: still the day before in Los Angeles (UTC-8). */
  const early = Date.UTC(
    new Date(now - 4 * DAY).getUTCFullYear(),
    new Date(now - 4 * DAY).getUTCMonth(),
    new Date(now - 4 * DAY).getUTCDate(),
    3,
    30,
  );
  const seeded = makeTasks(30, 7, "d");

  const base = () => `${server.origin}/projects/${server.projectId}`;
  const rowIds = () =>
    page.$$eval("table.tasks-table tbody tr", (trs) =>
      trs.map((tr) => tr.getAttribute("data-task-id") ?? ""),
    );
  async function logEvents(events: Array<Record<string, unknown>>) {
    const response = await fetch(`${server.origin}/v2/log/${server.projectId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ batched_log_events: events }),
    });
    expect(response.status).toBe(200);
  }
  async function readTask(taskId: string) {
    const response = await fetch(`${server.origin}/v2/tasks/${taskId}`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    return (await response.json()) as { flag: string | null };
  }

  beforeAll(async () => {
    server = await startServer();
    await logWithSdk(`${server.origin}/v2`, server.projectId, server.apiKey, seeded);
    const at = (ms: number) => Math.floor(ms / 1000);
    await logEvents([
      { task_id: "md", input: "Compare two cities", output: TABLE_AND_QUOTE, created_at: at(now - 60_000) },
      { task_id: "long", input: "Explain at length", output: LONG, created_at: at(now - 120_000) },
      {
        task_id: "eq",
        input: "A key with an equals sign",
        output: "ok",
        metadata: { "a=b": "c=d", plan: "free" },
        created_at: at(now - 180_000),
      },
      { task_id: "la", input: "Logged early in UTC", output: "ok", created_at: at(early) },
      // No latency, no tokens: listed last on ascending sorts.
      { task_id: "nolat1", input: "no latency 1", output: "x", created_at: at(now - 240_000) },
      { task_id: "nolat2", input: "no latency 2", output: "x", created_at: at(now - 250_000) },
    ]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      timezoneId: "America/Los_Angeles",
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(await server.signInLink());
    await page.waitForURL(/\/overview/);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("1. lists tasks without a latency last on an ascending sort (header click)", async () => {
    await page.goto(`${base()}/tasks`);
    await page.waitForSelector("table.tasks-table tbody tr");
    await page.selectOption('select[name="page_size"]', "100");
    await page.click('th[data-column="latency"] button'); // descending
    await page.waitForURL(/sort=-latency_ms/);
    await page.click('th[data-column="latency"] button'); // ascending
    await page.waitForURL(/sort=latency_ms/);
    await page.waitForFunction(() => {
      const ids = [...document.querySelectorAll("table.tasks-table tbody tr")].map((tr) =>
        tr.getAttribute("data-task-id"),
      );
      return ids.length > 30 && ids.at(-1) === "md";
    });
    // The six without a latency close the list, oldest first.
    expect((await rowIds()).slice(-6)).toEqual(["la", "nolat2", "nolat1", "eq", "long", "md"]);
    const first = await page
      .locator("table.tasks-table tbody tr")
      .first()
      .locator("td.col-latency")
      .textContent();
    expect(first).not.toBe("–");
  });

  it("2 and 21. styles Markdown tables and quotes; a javascript: link is plain text; code has a copy button", async () => {
    await page.goto(`${base()}/tasks/md`);
    const body = page.locator(".bubble.assistant .bubble-body");
    await body.locator("table").waitFor();
    expect(await body.locator("table td").allTextContents()).toEqual(["Lisbon", "3", "Porto", "2"]);
    const quoteBorder = await body
      .locator("blockquote")
      .evaluate((el) => getComputedStyle(el).borderLeftStyle);
    expect(quoteBorder).toBe("solid");
    expect(await body.locator(".unsafe-link").textContent()).toBe("click me");
    const hrefs = await body.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(hrefs).toEqual(["https://example.com/docs"]);
    expect(await body.locator('.code-block button:has-text("Copy code")').count()).toBe(1);
  });

  it("4. keeps derived fields out of the metadata table, the suggestions and the CSV metadata column", async () => {
    await page.goto(`${base()}/tasks/d0_0`);
    const table = page.locator("table.metadata");
    await table.waitFor();
    const keys = await table.locator("th").allTextContents();
    expect(keys.sort()).toEqual(["channel", "plan"]);
    const suggested = await page.evaluate(async (p) => {
      const r = await fetch(`/api/projects/${p}/suggestions/metadata-keys`);
      return ((await r.json()) as { keys: Array<{ value: string }> }).keys.map((k) => k.value);
    }, server.projectId);
    expect(suggested).toContain("plan");
    for (const derived of ["user_id", "version_id", "model", "latency_ms", "stream_status", "environment"])
      expect(suggested).not.toContain(derived);
    await page.goto(`${base()}/tasks?range=all&q=Lisbon`);
    await page.waitForSelector("table.tasks-table tbody tr");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('a:has-text("Export CSV")'),
    ]);
    const csv = await readFile((await download.path()) ?? "", "utf8");
    const line = csv.split("\r\n")[1] ?? "";
    expect(line).toContain('""plan""');
    expect(line).not.toContain('""user_id""');
  });

  it("5. clicking the active thumb again removes the flag, with no duplicate feedback", async () => {
    await page.goto(`${base()}/tasks/eq`);
    const up = page.locator(".page-head button.thumb-up");
    await up.click();
    await page.waitForSelector('.page-head button.thumb-up[aria-pressed="true"]');
    expect((await readTask("eq")).flag).toBe("success");
    await up.click();
    await page.waitForSelector('.page-head button.thumb-up[aria-pressed="false"]');
    expect((await readTask("eq")).flag).toBeNull();
    const kinds = await page.locator(".feedback-history tbody tr").allTextContents();
    expect(kinds.filter((k) => k.includes("success")).length).toBe(1);
    expect(kinds.some((k) => k.includes("flag removed"))).toBe(true);
  });

  it("11. filters on a metadata key that contains =", async () => {
    await page.goto(`${base()}/tasks`);
    await page.fill('input[name="meta_key"]', "a=b");
    await page.fill('input[name="meta_value"]', "c=d");
    await page.click('button:has-text("Add filter")');
    await page.waitForFunction(() => document.querySelectorAll("table.tasks-table tbody tr").length === 1);
    expect(await rowIds()).toEqual(["eq"]);
    expect(await page.locator(".chip").textContent()).toContain("a=b = c=d");
  });

  it("filters with conditions as chips in the URL: contains, numeric range, is empty", async () => {
    await page.goto(`${base()}/tasks?range=all`);
    await page.waitForSelector("table.tasks-table tbody tr");
    await page.selectOption('select[name="cond_field"]', "output");
    await page.selectOption('select[name="cond_op"]', "contains");
    await page.fill('input[name="cond_value"]', "sintra");
    await page.click('button:has-text("Add condition")');
    await page.waitForURL(/f=contains%3Aoutput%3Dsintra/);
    const sintra = seeded.filter((t) => /sintra/i.test(t.output)).map((t) => t.taskId);
    await page.waitForFunction(
      (n) => document.querySelectorAll("table.tasks-table tbody tr").length === n,
      sintra.length,
    );
    expect((await rowIds()).sort()).toEqual([...sintra].sort());
    expect(await page.locator('.chip[data-condition^="contains"]').textContent()).toContain(
      "Output contains sintra",
    );
    await page.click('.chip[data-condition^="contains"]');
    await page.selectOption('select[name="cond_field"]', "latency_ms");
    await page.selectOption('select[name="cond_op"]', "empty");
    await page.click('button:has-text("Add condition")');
    await page.waitForURL(/f=empty%3Alatency_ms/);
    await page.waitForFunction(() => document.querySelectorAll("table.tasks-table tbody tr").length === 6);
    expect((await rowIds()).sort()).toEqual(["eq", "la", "long", "md", "nolat1", "nolat2"]);
  });

  it("14. says how many tasks match, and that the count is exact", async () => {
    await page.goto(`${base()}/tasks?range=all&flag=none`);
    const count = page.locator(".count[data-count]");
    await count.waitFor();
    const expected = await page.evaluate(async (p) => {
      let n = 0;
      let cursor = "";
      for (;;) {
        const r = await fetch(`/api/projects/${p}/tasks?range=all&flag=none&limit=200${cursor}`);
        const body = (await r.json()) as { tasks: unknown[]; nextCursor: string | null };
        n += body.tasks.length;
        if (!body.nextCursor) return n;
        cursor = `&cursor=${body.nextCursor}`;
      }
    }, server.projectId);
    expect(Number(await count.getAttribute("data-count"))).toBe(expected);
    expect(await count.getAttribute("data-exact")).toBe("true");
    expect(await count.textContent()).toMatch(new RegExp(`${expected} tasks match`));
  });

  it("13. shows a dense table: 20+ rows on a screen, no Markdown markers in cells", async () => {
    await page.goto(`${base()}/tasks`);
    await page.selectOption('select[name="page_size"]', "100");
    await page.waitForSelector('tr[data-task-id="d0_0"]');
    const visible = await page.$$eval(
      "table.tasks-table tbody tr",
      (trs) => trs.filter((tr) => tr.getBoundingClientRect().bottom <= window.innerHeight).length,
    );
    expect(visible).toBeGreaterThanOrEqual(20);
    const output = await page.locator('tr[data-task-id="d0_0"] td.col-output').textContent();
    expect(output).toContain("Day 1");
    expect(output).not.toContain("**");
  });

  it("6 and 20. Back keeps the loaded pages and the scroll; a thumb in a filtered list removes the row", async () => {
    await page.goto(`${base()}/tasks`);
    await page.selectOption('select[name="page_size"]', "25");
    await page.waitForFunction(() => document.querySelectorAll("table.tasks-table tbody tr").length === 25);
    await page.click('button:has-text("Load more")');
    await page.waitForFunction(() => document.querySelectorAll("table.tasks-table tbody tr").length > 25);
    const loaded = (await rowIds()).length;
    await page.evaluate(() => window.scrollTo(0, 600));
    await page.waitForFunction(() => window.scrollY >= 590);
    const target = (await rowIds())[30] ?? "";
    await page.click(`tr[data-task-id="${target}"] td.col-input`);
    await page.waitForURL(`**/tasks/${target}`);
    await page.waitForSelector(".bubble.user");
    await page.goBack();
    await page.waitForSelector("table.tasks-table tbody tr");
    expect((await rowIds()).length).toBe(loaded);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(500);

    await page.goto(`${base()}/tasks?flag=none`);
    await page.waitForSelector("table.tasks-table tbody tr");
    const unflagged = (await rowIds())[0] ?? "";
    await page.waitForSelector(`tr[data-task-id="${unflagged}"]`);
    await page.click(`tr[data-task-id="${unflagged}"] button[aria-label="Thumbs up"]`);
    await page.waitForSelector(`tr[data-task-id="${unflagged}"]`, { state: "detached" });
    expect((await readTask(unflagged)).flag).toBe("success");
  });

  it("7. carries filters across Overview, Tasks, Sessions and Users, with one default range", async () => {
    await page.goto(`${base()}/tasks`);
    expect(await page.locator('select[name="range"]').inputValue()).toBe("7d");
    await page.goto(`${base()}/overview`);
    expect(await page.locator('select[name="range"]').inputValue()).toBe("7d");
    await page.goto(`${base()}/tasks?range=30d&flag=failure`);
    await page.click('nav.sections a:has-text("Overview")');
    await page.waitForURL(/\/overview\?range=30d&flag=failure/);
    await page.click('nav.sections a:has-text("Users")');
    await page.waitForURL(/\/users\?range=30d&flag=failure/);
    await page.click('nav.sections a:has-text("Sessions")');
    await page.waitForURL(/\/sessions\?range=30d/);
  });

  it("8. shows times in the browser's zone, named, with a UTC switch; a picked day is a day of that zone", async () => {
    const laDay = new Date(early - 8 * HOUR).toISOString().slice(0, 10); // the day before, in Los Angeles
    const utcDay = new Date(early).toISOString().slice(0, 10);
    await page.goto(`${base()}/tasks?from=${laDay}&to=${laDay}`);
    await page.waitForSelector('tr[data-task-id="la"]');
    expect(await page.locator('th[data-column="time"]').textContent()).toContain("America/Los_Angeles");
    await page.goto(`${base()}/tasks?from=${utcDay}&to=${utcDay}`);
    await page.waitForSelector(".count[data-count]");
    expect(await rowIds()).not.toContain("la");
    await page.click("button.zone-switch");
    await page.waitForSelector('tr[data-task-id="la"]');
    expect(await page.locator('th[data-column="time"]').textContent()).toContain("UTC");
    await page.click("button.zone-switch");
    await page.waitForSelector('button.zone-switch:has-text("America/Los_Angeles")');
    await page.waitForSelector('tr[data-task-id="la"]', { state: "detached" });
  });

  it("9. charts span the whole range (hours for a day, days for a week), say 'no data', and open their tasks", async () => {
    await page.goto(`${base()}/overview?range=24h`);
    const note = page.locator(".chart-note");
    await note.waitFor();
    expect(await note.getAttribute("data-unit")).toBe("hour");
    expect(Number(await note.getAttribute("data-buckets"))).toBeGreaterThanOrEqual(24);
    await page.goto(`${base()}/overview?range=30d`);
    await page.waitForSelector('.chart-note[data-unit="day"]');
    expect(Number(await page.locator(".chart-note").getAttribute("data-buckets"))).toBeGreaterThanOrEqual(30);
    await page.waitForSelector(".recharts-bar-rectangle");
    const bar = page.locator(".chart").first().locator(".recharts-bar-rectangle").last();
    await bar.click();
    await page.waitForURL(/\/tasks\?.*from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
    await page.waitForSelector("table.tasks-table tbody tr");
    await page.goto(`${base()}/overview?range=all&user_id=nobody`);
    await page.waitForSelector(".no-data");
    expect(await page.locator(".no-data").first().textContent()).toContain("No data");
  });

  it("22. formats the tokens axis, names every page, serves a favicon, labels projects by name", async () => {
    await page.goto(`${base()}/overview?range=30d`);
    await page.waitForSelector(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value");
    const ticks = await page
      .locator(".chart", { hasText: "Tokens" })
      .locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value")
      .allTextContents();
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) expect(tick).toMatch(/^\d{1,3}(\.\d)?[KkMB]?$/);
    const titles: string[] = [];
    for (const path of ["overview", "tasks", "sessions", "users", "tasks/md", "settings"]) {
      await page.goto(`${base()}/${path}`);
      await page.waitForFunction(() => document.title !== "phospho");
      titles.push(await page.title());
    }
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles[0]).toBe("Overview · phospho");
    const icon = await fetch(`${server.origin}/favicon.ico`);
    expect(icon.status).toBe(200);
    const label = await page.locator('select[aria-label="Project"] option:checked').textContent();
    expect(label).toBe("Travel assistant");
  });

  it("16. collapses long outputs with Show more; copies ids", async () => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
    await page.goto(`${base()}/tasks/long`);
    const more = page.locator('.bubble.assistant button:has-text("Show more")');
    await more.waitFor();
    const before = await page
      .locator(".bubble.assistant")
      .evaluate((el) => el.getBoundingClientRect().height);
    expect(before).toBeLessThan(500);
    await more.click();
    const after = await page.locator(".bubble.assistant").evaluate((el) => el.getBoundingClientRect().height);
    expect(after).toBeGreaterThan(before * 2);
    await page.click('.task-id button:has-text("Copy id")');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("long");
  });

  it("15. lists sessions with id, duration, and a search on the id", async () => {
    await page.goto(`${base()}/sessions`);
    await page.waitForSelector('tr[data-session-id="dsession_0"]');
    const row = page.locator('tr[data-session-id="dsession_0"]');
    expect(await row.locator("td").first().textContent()).toContain("dsession_0");
    expect(await row.locator("td.session-duration").textContent()).toMatch(/\d/);
    await page.fill('.session-search input[name="q"]', "session_1");
    await page.click('.session-search button[type="submit"]');
    await page.waitForURL(/q=session_1/);
    // At least one row: while the searched page loads, the list can be empty, and `every` holds on nothing.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll("tr[data-session-id]")];
      return rows.length > 0 && rows.every((tr) => tr.getAttribute("data-session-id")?.includes("session_1"));
    });
    const ids = await page.$$eval("tr[data-session-id]", (trs) =>
      trs.map((tr) => tr.getAttribute("data-session-id")),
    );
    expect(ids).toContain("dsession_1");
    expect(ids).not.toContain("dsession_0");
  });

  it("19. A/B with one version says that a second one is needed", async () => {
    await page.goto(`${base()}/overview?range=7d&version_id=prompt-v1`);
    await page.waitForSelector('[data-testid="ab-needs-two"]');
    expect(await page.locator('[data-testid="ab-needs-two"]').textContent()).toContain("Only one version");
    expect(await page.locator(".ab-table").count()).toBe(0);
  });

  it("17. an unknown project shows a page of its own with a way to sign in", async () => {
    await page.goto(`${server.origin}/projects/nope/overview`);
    const card = page.locator('[data-testid="project-unavailable"]');
    await card.waitFor();
    expect(await page.locator(".topbar").count()).toBe(0);
    const href = await card.locator('a:has-text("Sign in")').getAttribute("href");
    expect(href).toBe(`/signin?next=${encodeURIComponent("/projects/nope/overview")}`);
  });

  it("18. the sign-in page shows one error at a time and says what adding a project means", async () => {
    const other = await context.newPage();
    await other.goto(`${server.origin}/signin?error=invalid_token`);
    await other.waitForSelector('[role="alert"]');
    expect(await other.locator('[role="alert"]').count()).toBe(1);
    await other.fill('input[name="apiKey"]', "phk_wrong");
    await other.click('button[type="submit"]');
    await other.waitForSelector('[role="alert"]:has-text("unknown or revoked")');
    expect(await other.locator('[role="alert"]').count()).toBe(1);
    await other.close();
    await page.goto(`${base()}/overview`);
    expect(await page.locator('a:has-text("Add a project by key")').count()).toBe(1);
  });

  it("saves a view on the server, lists it in the navigation, shares it by link, and keeps it across a restart", async () => {
    await page.goto(`${base()}/tasks?range=all&flag=failure`);
    await page.waitForSelector("table.tasks-table tbody tr");
    await page.click('button:has-text("Save view")');
    await page.fill('input[name="view_name"]', "Failures, all time");
    await page.click('.save-view button[type="submit"]');
    await page.waitForSelector('[role="status"]:has-text("Saved")');
    await page.click(".views-nav summary");
    const link = page.locator('.views-nav a:has-text("Failures, all time")');
    await link.waitFor();
    const href = (await link.getAttribute("href")) ?? "";
    expect(href).toMatch(/\/views\/view_[0-9a-f]+$/);

    await server.restart();
    const other = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const p = await other.newPage();
    await p.goto(await server.signInLink());
    await p.waitForURL(/\/overview/);
    await p.goto(`${server.origin}${href}`);
    await p.waitForURL(/\/tasks\?range=all&flag=failure/);
    await p.waitForSelector("table.tasks-table tbody tr");
    expect(await p.locator('select[name="flag"]').inputValue()).toBe("failure");
    await p.click(".views-nav summary");
    await p.waitForSelector('.views-nav a:has-text("Failures, all time")');
    await other.close();
  });

  it("dark mode follows prefers-color-scheme, and the switch overrides it", async () => {
    const dark = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: "dark" });
    const p = await dark.newPage();
    await p.goto(await server.signInLink());
    await p.waitForSelector(".topbar");
    const bg = () => p.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(await bg()).toBe("rgb(11, 16, 32)");
    await p.click('button[aria-label="Switch to light mode"]');
    expect(await bg()).toBe("rgb(246, 247, 249)");
    await p.reload();
    await p.waitForSelector(".topbar");
    expect(await bg()).toBe("rgb(246, 247, 249)");
    await dark.close();
  });
});
