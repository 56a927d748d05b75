/**
 * Writes docs/screenshots/*.png from a real server with realistic data (two weeks of history backfilled
 * through the wire format, the latest conversations logged by the real SDK).
 *
 *   npm run build -w packages/phospho && npm run build -w packages/dashboard
 *   node --import tsx packages/dashboard/test/screenshots.ts
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "./support/chromium.js";
import { backfill, logWithSdk, makeTasks } from "./support/seed.js";
import { DASHBOARD_DIR, startServer } from "./support/server.js";

const OUT = resolve(DASHBOARD_DIR, "../../docs/screenshots");

const server = await startServer();
try {
  await backfill(server.origin, server.projectId, server.apiKey, makeTasks(160, 11, "h"), {
    minAgeDays: 1,
    maxAgeDays: 14,
  });
  await logWithSdk(`${server.origin}/v2`, server.projectId, server.apiKey, makeTasks(12, 5, "n"));
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  page.setDefaultTimeout(20_000);
  await page.goto(await server.signInLink());
  const base = `${server.origin}/projects/${server.projectId}`;
  const shots: Array<[string, string, string, boolean]> = [
    ["overview", `${base}/overview?range=30d`, ".ab-table", true],
    ["tasks", `${base}/tasks`, "table.tasks-table", false],
    ["task-detail", `${base}/tasks/n0_0`, ".bubble.assistant", true],
    ["session", `${base}/sessions/nsession_0`, "article.turn", true],
    ["users", `${base}/users`, "table.users-table", false],
  ];
  for (const [name, url, ready, fullPage] of shots) {
    await page.goto(url);
    await page.waitForSelector(ready);
    if (name === "task-detail") {
      // Some feedback, so the history and notes show.
      await page.click(".page-head button.thumb-up");
      await page.fill('textarea[name="notes"]', "Good plan. Could mention the Lisboa Card for transport.");
      await page.click('button:has-text("Save notes")');
      await page.waitForSelector('.feedback-history td:has-text("Lisboa Card")');
    }
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
    console.log(`wrote docs/screenshots/${name}.png`);
  }

  // The tasks list while triaging from the keyboard: a selected row and its peek panel.
  await page.goto(`${base}/tasks`);
  await page.waitForSelector("table.tasks-table tbody tr");
  for (const key of ["j", "j", "j"]) await page.keyboard.press(key);
  await page.waitForSelector('aside.peek[data-loaded="true"]');
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, "tasks-peek.png") });
  console.log("wrote docs/screenshots/tasks-peek.png");

  // Dark mode (the system's preference) and a 390 px phone.
  const dark = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: "dark" });
  await dark.goto(await server.signInLink());
  await dark.goto(`${base}/overview?range=30d`);
  await dark.waitForSelector(".ab-table");
  await dark.waitForTimeout(800);
  await dark.screenshot({ path: join(OUT, "overview-dark.png"), fullPage: true });
  await dark.goto(`${base}/tasks`);
  await dark.waitForSelector("table.tasks-table tbody tr");
  await dark.waitForTimeout(500);
  await dark.screenshot({ path: join(OUT, "tasks-dark.png") });
  console.log("wrote docs/screenshots/overview-dark.png, tasks-dark.png");
  const phone = await browser.newPage({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await phone.goto(await server.signInLink());
  await phone.goto(`${base}/tasks`);
  await phone.waitForSelector("table.tasks-table tbody tr");
  await phone.waitForTimeout(500);
  await phone.screenshot({ path: join(OUT, "tasks-phone.png") });
  console.log("wrote docs/screenshots/tasks-phone.png");
  await browser.close();
} finally {
  await server.close();
}
