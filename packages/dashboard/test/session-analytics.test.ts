/**
 * Analytics on the sessions list in real headless Chromium, against a real collector with its job runner: each
 * session's badges (its own session-scope events, its tasks' events with a count, language, sentiment), the event,
 * language and sentiment filters kept in the URL, the session page's confirm / remove / correct reflected in the
 * list, and the list with its badges on a 390 px phone without sideways scrolling and without a serious axe-core
 * violation in light or dark.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnalyticsRunner, createDefinition } from "../../server/src/analytics/index.js";
import type { JobRunner } from "../../server/src/jobs/index.js";
import type { KyselyStore } from "../../server/src/store/kysely-store.js";
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from "./support/chromium.js";
import { startServer, type TestServer } from "./support/server.js";

const enabled = chromiumAvailable();
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const BASE = 1_793_491_200;

describe.skipIf(!enabled)("sessions list analytics in Chromium", () => {
  let server: TestServer;
  let runner: JobRunner;
  let browser: Browser;
  let page: Page;
  let human: { id: string };
  const base = () => `${server.origin}/projects/${server.projectId}`;
  const list = () => `${base()}/sessions?range=all`;

  /** The session ids of the list's rows, in order. */
  const rows = () =>
    page.$$eval("tr[data-session-id]", (els) => els.map((el) => el.getAttribute("data-session-id")));
  const badges = (session: string, selector: string) =>
    page.$$eval(`tr[data-session-id="${session}"] ${selector}`, (els) => els.map((el) => el.textContent));

  /** Reloads the list until `ready` holds in the page: it shows what was analysed when it loaded. */
  async function reloadUntil(url: string, ready: string) {
    await page.goto(url);
    const deadline = Date.now() + 20_000;
    for (;;) {
      await page.waitForSelector("tr[data-session-id]");
      if (await page.evaluate(ready)) return;
      if (Date.now() > deadline) throw new Error(`the sessions list never showed: ${ready}`);
      await page.waitForTimeout(200);
      await page.reload();
    }
  }

  beforeAll(async () => {
    server = await startServer();
    const db = server.store.db;
    human = await createDefinition(db, server.projectId, {
      name: "Human requested",
      description: "",
      scope: "input",
      detector: "keywords",
      config: { keywords: ["human", "person"] },
    });
    await createDefinition(db, server.projectId, {
      name: "Thanked",
      description: "",
      scope: "session",
      detector: "keywords",
      config: { keywords: ["thanks"] },
    });
    runner = createAnalyticsRunner(server.store as KyselyStore, {
      runner: { pollMs: 20, backoffMs: 20 },
      scanEveryMs: 50,
      scan: { settleMs: 0 },
    });
    runner.start();
    const events = [
      ["h1", "s-human", "I want to talk to a human, this is awful"],
      ["h2", "s-human", "Can a person call me? ok thanks"],
      ["f1", "s-fr", "Je voudrais parler avec votre équipe demain"],
      ["f2", "s-fr", "Est-ce que vous pouvez me rappeler ce soir"],
      ["p1", "s-plain", "What time does the museum open on Sunday"],
    ].map(([task_id, session_id, input], i) => ({
      task_id,
      session_id,
      input,
      output: "ok",
      created_at: BASE + i,
    }));
    const response = await fetch(`${server.origin}/v2/log/${server.projectId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ batched_log_events: events }),
    });
    expect(response.status).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(await server.signInLink());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await runner?.stop();
    await server?.close();
  });

  it("shows each session's badges: its own events, its tasks' events with a count, language and sentiment", async () => {
    await reloadUntil(
      list(),
      `document.querySelectorAll("tr[data-session-id] .badge.lang").length === 3 &&
       document.querySelector('tr[data-session-id="s-human"] [data-event="Thanked"]') !== null &&
       document.querySelector('tr[data-session-id="s-human"] [data-task-event="Human requested"]') !== null`,
    );
    expect(await badges("s-human", "[data-event]")).toEqual(["Thanked"]);
    expect(await badges("s-human", "[data-task-event]")).toEqual(["Human requested × 2"]);
    expect(await badges("s-human", ".badge.lang")).toEqual(["en"]);
    expect(await badges("s-fr", ".badge.lang")).toEqual(["fr"]);
    expect(await badges("s-fr", ".badge.event")).toEqual([]);
    expect(await badges("s-plain", ".badge.event")).toEqual([]);
    expect(await page.textContent("table.sessions-table thead")).toContain("Events");
  });

  it("filters sessions by event (present, absent), language and sentiment, kept in the URL", async () => {
    await page.goto(list());
    await page.click("details.analytics-filter summary");
    await page.selectOption('select[aria-label="Event filter"]', human.id);
    await page.waitForFunction(() => document.querySelectorAll("tr[data-session-id]").length === 1);
    expect(await rows()).toEqual(["s-human"]);
    expect(new URL(page.url()).searchParams.get("event")).toBe(human.id);

    await page.selectOption('select[aria-label="Event state"]', "absent");
    await page.waitForFunction(() => document.querySelectorAll("tr[data-session-id]").length === 2);
    expect((await rows()).sort()).toEqual(["s-fr", "s-plain"]);
    // The URL is the view: opened afresh, it shows the same sessions with the filter open and set.
    await page.goto(page.url());
    await page.waitForSelector("tr[data-session-id]");
    expect((await rows()).sort()).toEqual(["s-fr", "s-plain"]);
    expect(await page.inputValue('select[aria-label="Event state"]')).toBe("absent");

    await page.selectOption('select[aria-label="Event filter"]', "");
    await page.waitForFunction(() => document.querySelectorAll("tr[data-session-id]").length === 3);
    await page.fill('input[aria-label="Language filter"]', "FR");
    await page.locator('input[aria-label="Language filter"]').blur();
    await page.waitForFunction(() => document.querySelectorAll("tr[data-session-id]").length === 1);
    expect(await rows()).toEqual(["s-fr"]);
    expect(new URL(page.url()).searchParams.get("language")).toBe("fr");
    expect(new URL(page.url()).searchParams.has("event")).toBe(false);

    await page.goto(`${list()}&sentiment=negative`);
    await page.waitForSelector("tr[data-session-id]");
    expect(await rows()).toEqual(["s-human"]);
    expect(await page.inputValue('select[aria-label="Sentiment filter"]')).toBe("negative");
  });

  it("reflects the session page's confirm, remove and correct in the list's badges", async () => {
    const review = (event: string) => page.locator(`tr[data-review-event="${event}"]`);
    await page.goto(`${base()}/sessions/s-human`);
    await review("Thanked").locator('button:has-text("Confirm")').click();
    await review("Thanked").locator('[data-review-state]:has-text("confirmed")').waitFor();
    await page.goto(list());
    await page.waitForSelector('tr[data-session-id="s-human"] [data-event="Thanked"].confirmed');

    await page.goto(`${base()}/sessions/s-human`);
    await review("Thanked").locator('button:has-text("Remove")').click();
    await review("Thanked").locator('[data-review-state]:has-text("removed")').waitFor();
    // A missed session event, marked on a session where the keyword did not match.
    await page.goto(`${base()}/sessions/s-plain`);
    expect(await review("Thanked").locator("td").first().textContent()).toContain("not detected");
    await review("Thanked").locator('button:has-text("Missed")').click();
    await review("Thanked").locator('[data-review-state]:has-text("corrected")').waitFor();

    await page.goto(list());
    await page.waitForSelector('tr[data-session-id="s-plain"] [data-event="Thanked"].corrected');
    expect(await badges("s-human", "[data-event]")).toEqual([]);
    expect(await badges("s-human", "[data-task-event]")).toEqual(["Human requested × 2"]);
  });

  it("lays the list out with its badges and open filters on a 390 px phone without sideways scrolling", async () => {
    const phone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await phone.goto(await server.signInLink());
    await phone.goto(`${list()}&sentiment=negative&event=${human.id}`);
    await phone.waitForSelector('tr[data-session-id="s-human"] [data-task-event="Human requested"]');
    expect(await phone.isVisible('select[aria-label="Event filter"]')).toBe(true);
    const over = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(over).toBeLessThanOrEqual(0);
    await phone.close();
  });

  it("has no serious or critical axe-core violation on the list with its badges, light and dark", async () => {
    const found: string[] = [];
    for (const colorScheme of ["light", "dark"] as const) {
      const tab = await browser.newPage({ colorScheme });
      await tab.goto(await server.signInLink());
      await tab.goto(`${list()}&event=${human.id}`);
      await tab.waitForSelector('tr[data-session-id="s-human"] [data-task-event]');
      await tab.evaluate(AXE);
      const violations = await tab.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: (ctx: Document) => Promise<{
                violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
              }>;
            };
          }
        ).axe;
        const result = await axe.run(document);
        return result.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      });
      found.push(...violations.map((v) => `${colorScheme}: ${v}`));
      await tab.close();
    }
    expect(found).toEqual([]);
  });
});
