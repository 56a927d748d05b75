/**
 * Keyboard-only triage, the phone layout and accessibility, in real headless Chromium: move with j/k, peek,
 * flag three tasks with 1/2, open one, go back and find the place kept; at 390×844 no page scrolls sideways;
 * axe-core finds no serious or critical violation on any page, light or dark.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from "./support/chromium.js";
import { logWithSdk, makeTasks } from "./support/seed.js";
import { startServer, type TestServer } from "./support/server.js";

const enabled = chromiumAvailable();
/** Evaluated through the DevTools protocol: the pages' CSP (script-src 'self') would refuse a script tag. */
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Every page of the dashboard, relative to the project. */
const PAGES = [
  "overview",
  "tasks",
  "tasks/t0_0",
  "sessions",
  "sessions/tsession_0",
  "users",
  "users/ALICE",
  "settings",
];

describe.skipIf(!enabled)("keyboard triage, phone layout, accessibility", () => {
  let server: TestServer;
  let browser: Browser;
  const tasks = makeTasks(20, 3, "t");
  const base = () => `${server.origin}/projects/${server.projectId}`;
  const pagePath = (p: string) => p.replace("ALICE", encodeURIComponent(tasks[0]?.userId ?? ""));

  async function signedIn(options: Parameters<Browser["newPage"]>[0] = {}): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, ...options });
    page.setDefaultTimeout(10_000);
    await page.goto(await server.signInLink());
    await page.waitForURL(/\/overview/);
    return page;
  }
  async function readFlag(taskId: string) {
    const response = await fetch(`${server.origin}/v2/tasks/${taskId}`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    return ((await response.json()) as { flag: string | null }).flag;
  }

  beforeAll(async () => {
    server = await startServer();
    await logWithSdk(
      `${server.origin}/v2`,
      server.projectId,
      server.apiKey,
      tasks.map((t) => ({ ...t, flag: null })),
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("triages from the keyboard: j/k with a peek panel, 1/2 flags, o opens, Back keeps the place", async () => {
    const page = await signedIn();
    await page.goto(`${base()}/tasks`);
    await page.waitForSelector("table.tasks-table tbody tr");
    const ids = await page.$$eval("table.tasks-table tbody tr", (trs) =>
      trs.map((tr) => tr.getAttribute("data-task-id") ?? ""),
    );
    const selected = () => page.getAttribute("tr.selected", "data-task-id");
    /** Waits for the row to be selected: a key's re-render may land after the key press returns. */
    const selects = (id: string | undefined) => page.waitForSelector(`tr.selected[data-task-id="${id}"]`);

    await page.keyboard.press("j");
    await page.waitForSelector(`aside.peek[data-task-id="${ids[0]}"][data-loaded="true"]`);
    await selects(ids[0]);
    await page.keyboard.press("1");
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await page.keyboard.press("k");
    await selects(ids[1]);
    await page.waitForSelector(`aside.peek[data-task-id="${ids[1]}"][data-loaded="true"]`);
    await page.keyboard.press("2");
    for (let i = 0; i < 4; i++) await page.keyboard.press("j");
    await selects(ids[5]);
    await page.keyboard.press("1");
    await page.waitForFunction(
      (want) =>
        want.every(([id, flag]) =>
          document.querySelector(
            `tr[data-task-id="${id}"] button[aria-pressed="true"][aria-label="${flag}"]`,
          ),
        ),
      [
        [ids[0], "Thumbs up"],
        [ids[1], "Thumbs down"],
        [ids[5], "Thumbs up"],
      ],
    );
    expect(await readFlag(ids[0] ?? "")).toBe("success");
    expect(await readFlag(ids[1] ?? "")).toBe("failure");
    expect(await readFlag(ids[5] ?? "")).toBe("success");

    // ? shows the shortcuts; Escape closes them.
    await page.keyboard.press("?");
    await page.waitForSelector("dialog.shortcut-help[open]");
    await page.keyboard.press("Escape");
    await page.waitForSelector("dialog.shortcut-help", { state: "detached" });

    await page.evaluate(() => window.scrollTo(0, 200));
    const scroll = await page.evaluate(() => window.scrollY);
    await page.keyboard.press("o");
    await page.waitForURL(`**/tasks/${ids[5]}`);
    await page.waitForSelector(".bubble.user");
    await page.goBack();
    await selects(ids[5]);
    expect(await selected()).toBe(ids[5]);
    // The scroll is put back once the rows are there, which may be a frame after they show.
    await page.waitForFunction((y) => window.scrollY === y, scroll);
    // Flagging the flagged task again with the same key removes the flag.
    await page.keyboard.press("1");
    await page.waitForSelector(
      `tr[data-task-id="${ids[5]}"] button[aria-label="Thumbs up"][aria-pressed="false"]`,
    );
    expect(await readFlag(ids[5] ?? "")).toBeNull();

    // Keys faster than a render (a held key, a loaded machine) each move one row: three j in one task.
    await page.evaluate(() => {
      for (let i = 0; i < 3; i++)
        window.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true }));
    });
    await selects(ids[8]);
    await page.close();
  });

  it("keeps the table's columns, density and page size per project across reloads", async () => {
    const page = await signedIn();
    await page.goto(`${base()}/tasks`);
    await page.click('button:has-text("Columns")');
    await page.check('input[name="col-version"]');
    await page.check('input[name="col-meta:plan"]');
    await page.click('button:has-text("Comfortable rows")');
    await page.waitForSelector('th[data-column="meta:plan"]');
    await page.reload();
    await page.waitForSelector('th[data-column="version"]');
    await page.waitForSelector('th[data-column="meta:plan"]');
    expect(await page.locator("table.tasks-table").getAttribute("class")).toContain("comfortable");
    const plan = await page.locator(`tr[data-task-id="t0_0"] td.col-metaplan`).textContent();
    expect(plan).toBe(tasks[0]?.plan);
    await page.close();
  });

  it("lays every page out for a 390 px phone: no sideways scroll, a menu, cards", async () => {
    const page = await signedIn({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const overflowing: string[] = [];
    for (const p of PAGES) {
      await page.goto(`${base()}/${pagePath(p)}`);
      await page.waitForSelector("main .page, main .page-message, main .card");
      await page.waitForTimeout(400);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (over > 0) overflowing.push(`${p}: ${over}px`);
    }
    await page.goto(`${server.origin}/signin`);
    await page.waitForSelector(".signin-card");
    const signin = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (signin > 0) overflowing.push(`signin: ${signin}px`);
    expect(overflowing).toEqual([]);

    await page.goto(`${base()}/tasks`);
    await page.waitForSelector("table.tasks-table tbody tr");
    expect(await page.isVisible("nav.sections")).toBe(false);
    await page.click("button.menu-button");
    expect(await page.isVisible("nav.sections")).toBe(true);
    expect(await page.isVisible('select[name="flag"]')).toBe(false);
    await page.click("button.filter-toggle");
    expect(await page.isVisible('select[name="flag"]')).toBe(true);
    const display = await page
      .locator("table.tasks-table tbody tr")
      .first()
      .evaluate((el) => getComputedStyle(el).display);
    expect(display).toBe("block");
    await page.close();
  });

  it("has no serious or critical axe-core violation on any page, light and dark", async () => {
    const found: string[] = [];
    for (const colorScheme of ["light", "dark"] as const) {
      const page = await signedIn({ colorScheme });
      for (const p of [...PAGES, "SIGNIN"]) {
        await page.goto(
          p === "SIGNIN" ? `${server.origin}/signin?error=invalid_token` : `${base()}/${pagePath(p)}`,
        );
        await page.waitForSelector("main .page, main .signin-card, main .card");
        await page.waitForTimeout(600);
        await page.evaluate(AXE);
        const violations = await page.evaluate(async () => {
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
            .map(
              (v) =>
                `${v.id} (${v.impact}): ${v.nodes
                  .slice(0, 3)
                  .map((n) => n.target.join(" "))
                  .join(", ")}`,
            );
        });
        for (const v of violations) found.push(`${colorScheme} ${p}: ${v}`);
      }
      await page.close();
    }
    expect(found).toEqual([]);
  }, 120_000);
});
