/**
 * Chart days follow the shown time zone for any range, and the sessions series is drawn in hour and day buckets,
 * in real headless Chromium set to America/Los_Angeles against a real phospho-server (issue 12): over a
 * 120-day range (longer than the 92 days that used to fall back to UTC days) a task at 23:30 and one at 00:30
 * local time land on two local days; switched to UTC, both are on the same UTC day.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from "./support/chromium.js";
import { startServer, type TestServer } from "./support/server.js";

const enabled = chromiumAvailable();
/** Evaluated through the DevTools protocol: the pages' CSP (script-src 'self') would refuse a script tag. */
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

describe.skipIf(!enabled)("chart buckets in the shown zone", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Local (Los Angeles) dates and instants, computed by the browser in its zone. */
  let local: { day: string; next: string; late: number; early: number; from: string; to: string };
  const base = () => `${server.origin}/projects/${server.projectId}`;

  async function logEvents(events: Array<Record<string, unknown>>) {
    const response = await fetch(`${server.origin}/v2/log/${server.projectId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ batched_log_events: events }),
    });
    expect(response.status).toBe(200);
  }
  /** The chart's table: tasks and sessions per bucket, keyed by day (or bucket start for hours). */
  async function chartTable(): Promise<
    Array<{ day: string; from: number; tasks: number; sessions: number }>
  > {
    const table = page.locator("details.chart-table").first();
    if (!(await table.evaluate((d) => (d as HTMLDetailsElement).open)))
      await table.locator("summary").click();
    await table.locator("tbody tr").first().waitFor();
    return table.locator("tbody tr").evaluateAll((trs) =>
      trs.map((tr) => {
        const cells = [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "");
        return {
          day: tr.getAttribute("data-day") ?? "",
          from: Number(tr.getAttribute("data-from")),
          tasks: Number((cells[1] ?? "").replace(/,/g, "")),
          sessions: Number((cells[2] ?? "").replace(/,/g, "")),
        };
      }),
    );
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      timezoneId: "America/Los_Angeles",
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    local = await page.evaluate(() => {
      const pad = (n: number) => String(n).padStart(2, "0");
      const key = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
      const today = new Date();
      const at = (days: number, h = 0, m = 0) =>
        new Date(today.getFullYear(), today.getMonth(), today.getDate() - days, h, m);
      return {
        day: key(at(40)),
        next: key(at(39)),
        late: at(40, 23, 30).getTime(),
        early: at(39, 0, 30).getTime(),
        from: key(at(119)),
        to: key(today),
      };
    });
    const now = Date.now();
    await logEvents([
      { task_id: "late", input: "late", output: "ok", session_id: "s_late", created_at: local.late / 1000 },
      {
        task_id: "early",
        input: "early",
        output: "ok",
        session_id: "s_early",
        created_at: local.early / 1000,
      },
      // Two sessions in the last hours, for the hour buckets.
      {
        task_id: "r1",
        input: "recent",
        output: "ok",
        session_id: "s_r1",
        created_at: Math.floor((now - 3_600_000) / 1000),
      },
      {
        task_id: "r2",
        input: "recent",
        output: "ok",
        session_id: "s_r1",
        created_at: Math.floor((now - 3_000_000) / 1000),
      },
      {
        task_id: "r3",
        input: "recent",
        output: "ok",
        session_id: "s_r2",
        created_at: Math.floor((now - 600_000) / 1000),
      },
    ]);
    await page.goto(await server.signInLink());
    await page.waitForURL(/\/overview/);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("over 120 days, puts tasks near midnight on their local days; in UTC on the UTC day", async () => {
    await page.goto(`${base()}/overview?from=${local.from}&to=${local.to}`);
    await page.waitForSelector('.chart-note[data-unit="day"]');
    expect(Number(await page.locator(".chart-note").getAttribute("data-buckets"))).toBe(120);
    const rows = await chartTable();
    const byDay = new Map(rows.map((r) => [r.day, r]));
    expect(byDay.get(local.day)).toMatchObject({ tasks: 1, sessions: 1 });
    expect(byDay.get(local.next)).toMatchObject({ tasks: 1, sessions: 1 });
    expect(rows.reduce((n, r) => n + r.tasks, 0)).toBe(5);

    // The bar of the late task opens that local day's tasks, which hold it.
    await page.goto(`${base()}/tasks?from=${local.day}&to=${local.day}&range=custom`);
    await page.waitForSelector('tr[data-task-id="late"]');
    expect(await page.locator('tr[data-task-id="early"]').count()).toBe(0);

    await page.goto(`${base()}/overview?from=${local.from}&to=${local.to}`);
    await page.waitForSelector('.chart-note[data-unit="day"]');
    await page.click("button.zone-switch");
    await page.waitForSelector('.chart-note:has-text("UTC")');
    const utcDay = new Date(local.late).toISOString().slice(0, 10);
    expect(new Date(local.early).toISOString().slice(0, 10)).toBe(utcDay);
    await page.locator("details.chart-table summary").first().click();
    await page.waitForFunction(
      (day) =>
        document.querySelector(`details.chart-table tr[data-day="${day}"] td.num`)?.textContent === "2",
      utcDay,
    );
    const utcRows = await chartTable();
    expect(utcRows.find((r) => r.day === utcDay)).toMatchObject({ tasks: 2, sessions: 2 });
    await page.click("button.zone-switch");
    await page.waitForSelector('.chart-note:has-text("America/Los_Angeles")');
  }, 60_000);

  it("draws the sessions series in hour buckets, adding up to the sessions of the range", async () => {
    await page.goto(`${base()}/overview?range=24h`);
    await page.waitForSelector('.chart-note[data-unit="hour"]');
    await page.waitForSelector(".recharts-legend-item-text >> text=Sessions started");
    await page.waitForSelector(".sessions-series path.recharts-curve");
    const rows = await chartTable();
    expect(rows.length).toBeGreaterThanOrEqual(24);
    expect(rows.reduce((n, r) => n + r.tasks, 0)).toBe(3);
    expect(rows.reduce((n, r) => n + r.sessions, 0)).toBe(2);
    const stat = page.locator(".stat", { hasText: "Sessions" }).locator(".stat-value");
    expect(await stat.textContent()).toBe("2");

    // The open table and the series keep axe-core free of serious and critical violations.
    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: { run: (ctx: Document) => Promise<{ violations: Array<{ id: string; impact: string }> }> };
        }
      ).axe;
      const result = await axe.run(document);
      return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => v.id);
    });
    expect(violations).toEqual([]);
  });

  it("keeps the 120-day chart and its table on a 390 px phone without sideways scrolling", async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      timezoneId: "America/Los_Angeles",
    });
    const p = await phone.newPage();
    p.setDefaultTimeout(10_000);
    await p.goto(await server.signInLink());
    await p.waitForURL(/\/overview/);
    await p.goto(`${base()}/overview?from=${local.from}&to=${local.to}`);
    await p.waitForSelector('.chart-note[data-unit="day"]');
    await p.locator("details.chart-table summary").first().click();
    await p.waitForSelector(`details.chart-table tr[data-day="${local.day}"]`);
    expect(
      await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await phone.close();
  });
});
