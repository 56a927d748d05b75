/**
 * Analytics in real headless Chromium, against a real collector with its job runner and a fake OpenAI-compatible
 * endpoint: set the endpoint, create a keyword event and an LLM tagger, see badges appear on new tasks, confirm,
 * remove and mark a miss and see precision and recall move, filter tasks by event, read the A/B intervals, correct a
 * classifier's category and a scorer's score (and see the scorer's MSE), and review a session-scope event.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnalyticsRunner, createDefinition } from "../../server/src/analytics/index.js";
import type { JobRunner } from "../../server/src/jobs/index.js";
import type { KyselyStore } from "../../server/src/store/kysely-store.js";
import { startFakeLlm, type FakeLlm } from "../../server/test/analytics/support/fake-llm.js";
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from "./support/chromium.js";
import { startServer, type TestServer } from "./support/server.js";

const enabled = chromiumAvailable();
const KEY = "sk-browser-SECRET-99";

describe.skipIf(!enabled)("analytics in Chromium", () => {
  let server: TestServer;
  let runner: JobRunner;
  let fake: FakeLlm;
  let browser: Browser;
  let page: Page;
  const base = () => `${server.origin}/projects/${server.projectId}`;

  async function log(events: Array<Record<string, unknown>>) {
    const response = await fetch(`${server.origin}/v2/log/${server.projectId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ batched_log_events: events }),
    });
    expect(response.status).toBe(200);
  }

  const metric = (event: string, name: string) =>
    page.textContent(`tr[data-event-row="${event}"] td[data-metric="${name}"]`);

  async function waitForMetric(event: string, name: string, text: string) {
    await page.waitForFunction(
      ([e, n, t]) =>
        document.querySelector(`tr[data-event-row="${e}"] td[data-metric="${n}"]`)?.textContent?.trim() === t,
      [event, name, text] as const,
      { timeout: 15_000 },
    );
    expect((await metric(event, name))?.trim()).toBe(text);
  }

  beforeAll(async () => {
    server = await startServer();
    fake = await startFakeLlm("plain");
    runner = createAnalyticsRunner(server.store as KyselyStore, {
      // The fake endpoint is local: no rate limit. At the default 10/s, the LLM definitions of the last test queue
      // a call for each of the 80 tasks of the A/B test first, and x1 came up to 16 s later.
      runner: { pollMs: 20, backoffMs: 20, llmRatePerSecond: 1_000 },
      scanEveryMs: 50,
      scan: { settleMs: 0 },
    });
    runner.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(await server.signInLink());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await runner?.stop();
    await fake?.close();
    await server?.close();
  });

  it("sets the endpoint and creates a keyword event and an LLM tagger", async () => {
    await page.goto(`${base()}/events`);
    await page.fill('input[aria-label="Base URL"]', fake.baseUrl);
    await page.fill('input[aria-label="Model"]', "fake-1");
    await page.fill('input[aria-label="API key"]', KEY);
    await page.click("text=Save endpoint");
    await page.waitForSelector(`text=fake-1 at ${fake.baseUrl} (key set, from project)`);

    await page.fill('input[aria-label="Event name"]', "Human requested");
    await page.selectOption('select[aria-label="Detector"]', "keywords");
    await page.fill('input[aria-label="Detector setting"]', "human, person");
    await page.click("text=Create event");
    await page.waitForSelector('tr[data-event-row="Human requested"] td[data-status="active"]');

    await page.fill('input[aria-label="Event name"]', "Frustrated");
    await page.fill('input[aria-label="Event description"]', "The user is frustrated or angry.");
    await page.selectOption('select[aria-label="Detector"]', "llm_tagger");
    await page.click("text=Create event");
    await page.waitForSelector('tr[data-event-row="Frustrated"] td[data-status="active"]');
    expect(await page.content()).not.toContain(KEY);
  });

  it("shows badges on new tasks", async () => {
    await log([
      { task_id: "h1", input: "I want to talk to a human right now", output: "Sure." },
      { task_id: "h2", input: "Are you a human being?", output: "No, I am an assistant." },
      { task_id: "m1", input: "Can somebody from your team call me?", output: "Yes." },
      { task_id: "f1", input: "I am furious, nothing works", output: "Sorry." },
    ]);
    // The list shows what was analysed when it loaded: reload until the runner has been through the four tasks.
    await page.goto(`${base()}/tasks?range=all`);
    const deadline = Date.now() + 20_000;
    for (;;) {
      await page.waitForSelector('tr[data-task-id="f1"]');
      const ready = await page.evaluate(
        () =>
          document.querySelectorAll("tr[data-task-id] .badge.lang").length === 4 &&
          document.querySelector('tr[data-task-id="f1"] [data-event="Frustrated"]') !== null,
      );
      if (ready || Date.now() > deadline) break;
      await page.waitForTimeout(200);
      await page.reload();
    }
    const badges = async (id: string) =>
      page.$$eval(`tr[data-task-id="${id}"] .badge.event`, (els) =>
        els.map((el) => el.getAttribute("data-event")),
      );
    expect(await badges("h1")).toEqual(["Human requested"]);
    expect(await badges("h2")).toEqual(["Human requested"]);
    expect(await badges("m1")).toEqual([]);
    expect(await badges("f1")).toEqual(["Frustrated"]);
  });

  it("moves precision and recall with confirm, remove and a marked miss", async () => {
    const review = async (task: string, button: string) => {
      await page.goto(`${base()}/tasks/${task}`);
      const row = page.locator('tr[data-review-event="Human requested"]');
      await row.locator(`button:has-text("${button}")`).click();
      await row
        .locator(`text=${button === "Missed" ? "corrected" : button === "Remove" ? "removed" : "confirmed"}`)
        .waitFor();
    };
    await review("h1", "Confirm");
    await page.goto(`${base()}/events`);
    await waitForMetric("Human requested", "precision", "100.0 %");
    await waitForMetric("Human requested", "recall", "100.0 %");

    await review("h2", "Remove");
    await page.goto(`${base()}/events`);
    await waitForMetric("Human requested", "precision", "50.0 %");
    await waitForMetric("Human requested", "recall", "100.0 %");

    await review("m1", "Missed");
    await page.goto(`${base()}/events`);
    await waitForMetric("Human requested", "recall", "50.0 %");
    await waitForMetric("Human requested", "corrections", "3");
  });

  it("filters tasks by event", async () => {
    await page.goto(`${base()}/tasks?range=all`);
    await page.waitForSelector('tr[data-task-id="h1"]');
    await page.click("details.analytics-filter summary");
    const eventId = await page.$eval(
      'select[aria-label="Event filter"]',
      (select) => [...(select as HTMLSelectElement).options].find((o) => o.text === "Human requested")?.value,
    );
    await page.selectOption('select[aria-label="Event filter"]', eventId!);
    // h2's detection was removed; m1's marked miss is a review, not a detection the filter shows.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll("tr[data-task-id]")]
          .map((tr) => tr.getAttribute("data-task-id"))
          .sort()
          .join() === "h1",
      undefined,
      { timeout: 10_000 },
    );
    expect(new URL(page.url()).searchParams.get("event")).toBe(eventId);
  });

  it("shows A/B intervals and significance", async () => {
    const now = Math.floor(Date.now() / 1000);
    await log(
      Array.from({ length: 80 }, (_, i) => ({
        task_id: `ab${i}`,
        input: "hello",
        output: "hi",
        created_at: now - i,
        version_id: i % 2 === 0 ? "v1" : "v2",
        // v1: 10 of 40 successes; v2: 30 of 40.
        flag: (i % 2 === 0 ? i / 2 < 10 : (i - 1) / 2 < 30) ? "success" : "failure",
        latency_ms: i % 2 === 0 ? 1_000 + i : 2_000 + i,
      })),
    );
    await page.goto(`${base()}/ab-compare?versions=v1,v2`);
    await page.waitForSelector('tr[data-version="v2"] td[data-interval]');
    // Wilson 95 % intervals worked out by hand: 10/40 → 14.2 % – 40.2 %; 30/40 → 59.8 % – 85.8 %.
    expect((await page.textContent('tr[data-version="v1"] td[data-interval]'))?.trim()).toBe(
      "14.2 % – 40.2 %",
    );
    expect((await page.textContent('tr[data-version="v2"] td[data-interval]'))?.trim()).toBe(
      "59.8 % – 85.8 %",
    );
    const verdicts = await page.$$eval('[data-comparison="v2"] [data-significant]', (els) =>
      els.map((el) => el.getAttribute("data-significant")),
    );
    expect(verdicts.slice(0, 2)).toEqual(["true", "true"]);
  });
  it("corrects a classifier's category and a scorer's score on a task, and reviews a session's events", async () => {
    const db = server.store.db;
    await createDefinition(db, server.projectId, {
      name: "Intent",
      description: "What does the user want?",
      scope: "input",
      detector: "llm_classifier",
      config: { categories: ["question", "complaint", "other"] },
    });
    await createDefinition(db, server.projectId, {
      name: "Calm",
      description: "How calm is the user?",
      scope: "input",
      detector: "llm_scorer",
      config: {},
    });
    await createDefinition(db, server.projectId, {
      name: "Thanked",
      description: "",
      scope: "session",
      detector: "keywords",
      config: { keywords: ["thanks"] },
    });
    await log([
      { task_id: "x1", session_id: "sx", input: "I am furious about this bill", output: "Sorry." },
      { task_id: "x2", session_id: "sx", input: "ok, thanks", output: "You are welcome." },
    ]);
    const reviewRow = (event: string) => page.locator(`tr[data-review-event="${event}"]`);
    // Wait until the runner has the LLM answers for x1 (read through the dashboard API, as the page reads them),
    // then open the page once: it must show them.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const reply = await page.request.get(
        `${server.origin}/api/projects/${server.projectId}/tasks/x1/analytics`,
      );
      const names = ((await reply.json()) as { events: Array<{ name: string; present: boolean }> }).events
        .filter((event) => event.present)
        .map((event) => event.name);
      if (names.includes("Calm") && names.includes("Intent")) break;
      if (Date.now() > deadline)
        throw new Error(`the LLM detections of x1 did not come in time: ${names.join(", ")}`);
      await page.waitForTimeout(200);
    }
    await page.goto(`${base()}/tasks/x1`);
    await reviewRow("Calm").waitFor({ timeout: 10_000 });
    await reviewRow("Intent").waitFor({ timeout: 10_000 });
    expect(await reviewRow("Intent").locator("td").first().textContent()).toContain("complaint");
    expect(await reviewRow("Calm").locator("td").first().textContent()).toContain("2");

    await reviewRow("Intent").locator('select[aria-label="Correct label"]').selectOption("question");
    await reviewRow("Intent").locator('button:has-text("Correct")').click();
    await reviewRow("Intent").locator('[data-review-state]:has-text("corrected → question")').waitFor();
    await reviewRow("Calm").locator('select[aria-label="Correct score"]').selectOption("4");
    await reviewRow("Calm").locator('button:has-text("Correct")').click();
    await reviewRow("Calm").locator('[data-review-state]:has-text("corrected → 4")').waitFor();
    const stored = await db
      .selectFrom("detections")
      .select(["review", "corrected_label", "corrected_score"])
      .where("project_id", "=", server.projectId)
      .where("task_id", "=", "x1")
      .where("review", "=", "corrected")
      .orderBy("corrected_score")
      .execute();
    expect(stored).toEqual([
      { review: "corrected", corrected_label: "question", corrected_score: null },
      { review: "corrected", corrected_label: null, corrected_score: 4 },
    ]);
    // The scorer's error: it said 2, the team says 4.
    await page.goto(`${base()}/events`);
    await waitForMetric("Calm", "corrections", "1");
    expect(await page.textContent('tr[data-event-row="Calm"]')).toContain("MSE 4.00");

    await page.goto(`${base()}/sessions/sx`);
    const thanked = reviewRow("Thanked");
    await thanked.waitFor();
    expect(await thanked.locator("td").first().textContent()).toContain("Thanked");
    await thanked.locator('button:has-text("Remove")').click();
    await thanked.locator('[data-review-state]:has-text("removed")').waitFor();
  });
});
