/**
 * Sessions and users as first-class lists, and the tasks table's columns from the keyboard, in real headless
 * Chromium against a real phospho-server (issue 12): every list says how many items match and whether the
 * count is exact; the sessions list shows id, user, length, duration, first and last time, feedback and cost
 * with filters (user, feedback, events) and a search; the users list shows cost with a search; a column's resize handle is focusable,
 * labelled, resizes with the arrow keys and keeps the width per project. At 1440×900 and 390×844.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from "./support/chromium.js";
import { logWithSdk, makeTasks } from "./support/seed.js";
import { startServer, type TestServer } from "./support/server.js";

const enabled = chromiumAvailable();

describe.skipIf(!enabled)("sessions and users lists, keyboard column resize", () => {
  let server: TestServer;
  let browser: Browser;
  const tasks = makeTasks(24, 11, "l");
  const base = () => `${server.origin}/projects/${server.projectId}`;

  async function signedIn(options: Parameters<Browser["newPage"]>[0] = {}): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, ...options });
    page.setDefaultTimeout(10_000);
    await page.goto(await server.signInLink());
    await page.waitForURL(/\/overview/);
    return page;
  }
  /** Every item of a list, read page by page through the API with the page's own cookie. */
  function listAll(page: Page, list: "sessions" | "users", query: string): Promise<string[]> {
    return page.evaluate(
      async ({ project, list, query }) => {
        const ids: string[] = [];
        let next = "";
        for (let i = 0; i < 50; i++) {
          const r = await fetch(`/api/projects/${project}/${list}?${query}&limit=200${next}`);
          const body = (await r.json()) as {
            sessions?: Array<{ id: string }>;
            users?: Array<{ user_id: string }>;
            nextCursor?: string | null;
            nextOffset?: number | null;
          };
          ids.push(...(body.sessions?.map((s) => s.id) ?? body.users?.map((u) => u.user_id) ?? []));
          if (body.nextCursor) next = `&cursor=${body.nextCursor}`;
          else if (body.nextOffset) next = `&offset=${body.nextOffset}`;
          else return ids;
        }
        return ids;
      },
      { project: server.projectId, list, query },
    );
  }
  const countOf = async (page: Page, list: string) => {
    const count = page.locator(`.count[data-list="${list}"][data-count]`);
    await count.waitFor();
    return {
      n: Number(await count.getAttribute("data-count")),
      exact: await count.getAttribute("data-exact"),
      text: (await count.textContent()) ?? "",
    };
  };

  beforeAll(async () => {
    server = await startServer();
    await logWithSdk(`${server.origin}/v2`, server.projectId, server.apiKey, tasks);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("the sessions list says how many sessions match, exactly, and the count follows the search and filters", async () => {
    const page = await signedIn();
    await page.goto(`${base()}/sessions?range=all`);
    await page.waitForSelector("tr[data-session-id]");
    const all = await listAll(page, "sessions", "range=all");
    expect(all.length).toBe(24);
    let count = await countOf(page, "sessions");
    expect(count).toEqual({ n: 24, exact: "true", text: "24 sessions match" });

    await page.fill('.session-search input[name="q"]', "session_1");
    await page.click('.session-search button[type="submit"]');
    await page.waitForURL(/q=session_1/);
    const matching = await listAll(page, "sessions", "range=all&q=session_1");
    await page.waitForSelector(`.count[data-list="sessions"][data-count="${matching.length}"]`);
    count = await countOf(page, "sessions");
    expect(count.exact).toBe("true");
    expect(count.text).toBe(`${matching.length} sessions match`);

    const user = tasks[0]?.userId ?? "";
    await page.goto(`${base()}/sessions?range=all&user_id=${user}`);
    const own = await listAll(page, "sessions", `range=all&user_id=${user}`);
    await page.waitForSelector(`.count[data-list="sessions"][data-count="${own.length}"]`);
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThan(24);

    // Feedback: the sessions with a flagged failure, in the URL, the rows and the count.
    await page.goto(`${base()}/sessions?range=all`);
    await page.waitForSelector("tr[data-session-id]");
    await page.selectOption('select[name="feedback"]', "failure");
    await page.waitForURL(/feedback=failure/);
    const failing = await listAll(page, "sessions", "range=all&feedback=failure");
    const expected = new Set(tasks.filter((t) => t.flag === "failure").map((t) => t.sessionId));
    expect(expected.size).toBeGreaterThan(0);
    expect(new Set(failing)).toEqual(expected);
    await page.waitForSelector(`.count[data-list="sessions"][data-count="${expected.size}"]`);
    await page.waitForFunction(
      (n) => document.querySelectorAll("tr[data-session-id]").length === n,
      expected.size,
    );
    await page.close();
  });

  it("the sessions list shows id, user, length, duration, first and last time, feedback and cost", async () => {
    const page = await signedIn();
    await page.goto(`${base()}/sessions?range=all`);
    await page.waitForSelector('tr[data-session-id="lsession_0"]');
    const headers = await page.$$eval("table.sessions-table th", (ths) => ths.map((th) => th.textContent));
    for (const h of ["Session", "User", "Tasks", "Duration", "First", "Last", "Feedback", "Cost"])
      expect(headers).toContain(h);
    // A three-turn conversation: its length, a user link, a priced cost.
    const row = page.locator('tr[data-session-id="lsession_0"]');
    const cells = await row.locator("td").allTextContents();
    const at = (h: string) => cells[headers.indexOf(h)] ?? "";
    expect(at("Session")).toBe("lsession_0");
    expect(at("User")).toBe(tasks[0]?.userId);
    expect(at("Tasks")).toBe("3");
    expect(at("Duration")).toMatch(/\d/);
    expect(at("Cost")).toMatch(/^\$\d/);
    // The analytics filters are there too, folded.
    expect(await page.locator("details.analytics-filter summary").textContent()).toContain("Events");
    await page.close();
  });

  it("the users list shows cost, a search on the id, and how many users match", async () => {
    const page = await signedIn();
    await page.goto(`${base()}/users?range=all`);
    await page.waitForSelector("tr[data-user-id]");
    const all = await listAll(page, "users", "range=all");
    let count = await countOf(page, "users");
    expect(count).toEqual({ n: all.length, exact: "true", text: `${all.length} users match` });
    expect(await page.$$eval("table.users-table th", (ths) => ths.map((th) => th.textContent))).toContain(
      "Cost",
    );
    expect(await page.locator('tr[data-user-id] td[data-label="Cost"]').first().textContent()).toMatch(
      /^\$\d/,
    );

    const one = all[0] ?? "";
    await page.fill('.user-search input[name="user_q"]', one);
    await page.click('.user-search button[type="submit"]');
    await page.waitForURL(/f=contains%3Auser_id/);
    await page.waitForSelector(`.count[data-list="users"][data-count="1"]`);
    count = await countOf(page, "users");
    expect(count.text).toBe("1 user matches");
    expect(
      await page.$$eval("tr[data-user-id]", (trs) => trs.map((tr) => tr.getAttribute("data-user-id"))),
    ).toEqual([one]);
    // A filter of the shared bar narrows the count as it narrows the rows.
    await page.goto(`${base()}/users?range=all&model=gpt-4o`);
    const byModel = await listAll(page, "users", "range=all&model=gpt-4o");
    await page.waitForSelector(`.count[data-list="users"][data-count="${byModel.length}"]`);
    expect(byModel.length).toBeLessThan(all.length);
    await page.close();
  });

  it("shows the counts on a 390 px phone without sideways scrolling", async () => {
    const page = await signedIn({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    for (const list of ["sessions", "users"] as const) {
      await page.goto(`${base()}/${list}?range=all`);
      const count = page.locator(`.count[data-list="${list}"][data-count]`);
      await count.waitFor();
      expect(await count.isVisible()).toBe(true);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(over, list).toBeLessThanOrEqual(0);
    }
    await page.close();
  });

  it("resizes a column from the keyboard: a focusable, labelled handle, arrows, kept per project", async () => {
    const page = await signedIn();
    await page.goto(`${base()}/tasks?range=all`);
    await page.waitForSelector("table.tasks-table tbody tr");
    const handle = page.locator('th[data-column="input"] [role="separator"]');
    expect(await handle.getAttribute("aria-label")).toBe("Resize Input column");
    const width = async () =>
      page.locator('th[data-column="input"]').evaluate((th) => Math.round(th.getBoundingClientRect().width));
    const before = Number(await handle.getAttribute("aria-valuenow"));

    // Tab reaches the handle: it is in the focus order, not only clickable.
    await page.locator('th[data-column="input"]').evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
    });
    await page.focus('th[data-column="time"] button.sort-header');
    let reached = false;
    for (let i = 0; i < 6 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await handle.evaluate((el) => el === document.activeElement);
    }
    expect(reached).toBe(true);

    const rendered = await width();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Shift+ArrowRight");
    await page.waitForFunction(
      (want) =>
        document
          .querySelector('th[data-column="input"] [role="separator"]')
          ?.getAttribute("aria-valuenow") === String(want),
      before + 70,
    );
    expect(await width()).toBeGreaterThan(rendered);
    // j/k triage did not see the arrows: no row was selected by them.
    expect(await page.locator("tr.selected").count()).toBe(0);

    await page.reload();
    await page.waitForSelector("table.tasks-table tbody tr");
    expect(Number(await handle.getAttribute("aria-valuenow"))).toBe(before + 70);
    await handle.focus();
    await page.keyboard.press("ArrowLeft");
    await page.waitForFunction(
      (want) =>
        document
          .querySelector('th[data-column="input"] [role="separator"]')
          ?.getAttribute("aria-valuenow") === String(want),
      before + 60,
    );
    // Home goes back to the column's default width.
    await page.keyboard.press("Home");
    await page.waitForFunction(
      (want) =>
        document
          .querySelector('th[data-column="input"] [role="separator"]')
          ?.getAttribute("aria-valuenow") === String(want),
      before,
    );
    // Kept per project: the width is in this project's stored table settings.
    const stored = await page.evaluate(
      (p) =>
        JSON.parse(localStorage.getItem(`phospho.table.${p}`) ?? "{}") as { widths?: Record<string, number> },
      server.projectId,
    );
    expect(stored.widths?.input).toBe(before);
    await page.close();
  });
});
