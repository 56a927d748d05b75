/**
 * The dashboard's speed in headless Chromium against a large store: time from opening the tasks page to the
 * first row painted, and from pressing `j` to the peek panel showing the next task (median of 20).
 *
 *   npm run build && node --import tsx packages/dashboard/test/bench-ui.ts [--n 200000]
 *
 * Seeds with bench/suites/queries/seed.ts (the same realistic data as the 1M query benchmark) into a file under
 * .tmp/ui-bench, kept for the next run.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { buildApp } from "../../server/src/app.js";
import { issueSignInToken } from "../../server/src/dashboard/index.js";
import { openStore } from "../../server/src/store/index.js";
import { CHROMIUM, CHROMIUM_ARGS } from "./support/chromium.js";
import { DASHBOARD_DIR, DIST_DIR, ensureDashboardBuilt } from "./support/server.js";

const { values } = parseArgs({ options: { n: { type: "string", default: "200000" } } });
const n = Number(values.n);
const root = resolve(DASHBOARD_DIR, "../..");
const dir = join(root, ".tmp", "ui-bench");
const file = join(dir, `tasks-${n}.db`);
const PROJECT = "bench_project";
mkdirSync(dir, { recursive: true });
ensureDashboardBuilt();

if (!existsSync(file)) {
  const started = Date.now();
  const partial = `${file}.partial`;
  await (await openStore(partial, { warn: () => {} })).close();
  execFileSync(
    "node",
    [
      "--import",
      "tsx",
      join(root, "bench/suites/queries/seed.ts"),
      "--db",
      partial,
      "--n",
      String(n),
      "--project",
      PROJECT,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  execFileSync("mv", [partial, file]);
  console.log(`seeded ${n.toLocaleString("en-US")} tasks in ${Math.round((Date.now() - started) / 1000)} s`);
}

const store = await openStore(file, { warn: () => {} });
if (!(await store.listProjects()).some((p) => p.id === PROJECT)) await store.createProject("Bench", PROJECT);
const app = await buildApp({ store, staticDir: DIST_DIR });
const origin = await app.listen({ host: "127.0.0.1", port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  if (process.env.BENCH_DEBUG) {
    page.on("pageerror", (e) => console.error("pageerror", e.message));
    page.on("console", (m) => console.error("console", m.type(), m.text().slice(0, 300)));
    page.on("requestfinished", (r) => {
      const t = r.timing();
      if (r.url().includes("/api/")) console.error(Math.round(t.responseEnd), r.url().replace(origin, ""));
    });
  }
  await page.goto(`${origin}/signin?token=${await issueSignInToken(store)}`);
  await page.waitForURL(/\/overview/);
  // The JavaScript a first visit to each page loads (gzip level 9 of the built files), kB.
  const firstLoad: Record<string, number> = {};
  for (const path of ["tasks", "overview"]) {
    const fresh = await browser.newPage();
    const files = new Set<string>();
    fresh.on("response", (r) => {
      const url = new URL(r.url());
      if (url.pathname.endsWith(".js")) files.add(url.pathname);
    });
    await fresh.context().addCookies(await page.context().cookies());
    await fresh.goto(`${origin}/projects/${PROJECT}/${path}`);
    await fresh.waitForSelector(path === "tasks" ? "tr[data-task-id]" : ".stat", { timeout: 60_000 });
    await fresh.waitForLoadState("networkidle");
    let bytes = 0;
    for (const f of files) bytes += gzipSync(readFileSync(join(DIST_DIR, f)), { level: 9 }).length;
    firstLoad[path] = Math.round(bytes / 102.4) / 10;
    await fresh.close();
  }
  const firstRow: number[] = [];
  for (let i = 0; i < 7; i++) {
    await page.goto(`${origin}/projects/${PROJECT}/tasks`);
    const at = await page.waitForFunction(
      () => (document.querySelector("tr[data-task-id]") ? performance.now() : false),
      undefined,
      { polling: "raf", timeout: 60_000 },
    );
    // The first load warms the browser cache and the collector; the rest are what a reader sees.
    if (i > 0) firstRow.push(Number(await at.jsonValue()));
  }
  await page.keyboard.press("j");
  await page.waitForSelector('aside.peek[data-loaded="true"]');
  const peek: number[] = [];
  for (let i = 0; i < 20; i++) {
    // A string, not a function: tsx would add a `__name` helper the page does not have.
    const ms = await page.evaluate<number>(`new Promise((done) => {
      const next = document.querySelector("tr.selected")?.nextElementSibling?.getAttribute("data-task-id");
      const start = performance.now();
      window.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true }));
      const check = () => {
        if (document.querySelector('aside.peek[data-loaded="true"][data-task-id="' + next + '"]'))
          done(performance.now() - start);
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    })`);
    peek.push(ms);
  }
  console.log(
    JSON.stringify({
      tasks: n,
      first_load_js_gzip_kb: firstLoad,
      first_row_ms: { median: Math.round(median(firstRow)), runs: firstRow.map(Math.round) },
      j_to_peek_ms: { median: Math.round(median(peek)), runs: peek.map(Math.round) },
    }),
  );
} finally {
  await browser.close();
  await app.close();
  await store.close();
}
