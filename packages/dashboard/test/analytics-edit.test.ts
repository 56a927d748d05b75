/**
 * Editing event definitions in real headless Chromium, against a real collector with its job runner: change a
 * keyword event's keywords and see a new version detect new tasks by the new rule; rename it without a new
 * version; see a refused webhook URL's 400 in the form, then save an allowed one; pause and resume; turn it into an
 * LLM tagger with its own prompt; delete it with its detections.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnalyticsRunner } from "../../server/src/analytics/index.js";
import type { JobRunner } from "../../server/src/jobs/index.js";
import type { KyselyStore } from "../../server/src/store/kysely-store.js";
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from "./support/chromium.js";
import { startServer, type TestServer } from "./support/server.js";

const enabled = chromiumAvailable();

describe.skipIf(!enabled)("editing events in Chromium", () => {
  let server: TestServer;
  let runner: JobRunner;
  let browser: Browser;
  let page: Page;
  const base = () => `${server.origin}/projects/${server.projectId}`;
  const row = '[data-event-row="Refund"]';

  async function log(events: Array<Record<string, unknown>>) {
    const response = await fetch(`${server.origin}/v2/log/${server.projectId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ batched_log_events: events }),
    });
    expect(response.status).toBe(200);
  }

  /** The stored definition, as the API gives it. */
  async function stored(): Promise<{
    id: string;
    name: string;
    version: number;
    active: boolean;
    detector: string;
    description: string;
    config: Record<string, unknown>;
    webhook_url: string | null;
  }> {
    const rows = await server.store.db
      .selectFrom("event_definitions")
      .selectAll()
      .where("project_id", "=", server.projectId)
      .execute();
    expect(rows).toHaveLength(1);
    const [found] = rows;
    return {
      ...found!,
      active: found!.active === 1,
      config: JSON.parse(found!.config) as Record<string, unknown>,
    };
  }

  /** Detections of tasks `ids`, as `task@version:present`, once the runner has made them all. */
  async function detections(ids: string[], version: number): Promise<string[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = await server.store.db
        .selectFrom("detections")
        .select(["task_id", "definition_version", "present"])
        .where("project_id", "=", server.projectId)
        .where("task_id", "in", ids)
        .where("definition_version", "=", version)
        .orderBy("task_id")
        .execute();
      if (found.length === ids.length) {
        return found.map((d) => `${d.task_id}@${d.definition_version}:${d.present === 1}`);
      }
      if (Date.now() > deadline)
        throw new Error(`detections of ${ids.join()} at v${version} not made in time`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function openEditor() {
    await page.goto(`${base()}/events`);
    await page.click(`${row} button:has-text("Edit")`);
    await page.waitForSelector("form[data-editing]");
  }

  beforeAll(async () => {
    server = await startServer();
    runner = createAnalyticsRunner(server.store as KyselyStore, {
      runner: { pollMs: 20, backoffMs: 20 },
      scanEveryMs: 50,
      scan: { settleMs: 0 },
    });
    runner.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(await server.signInLink());
    await page.goto(`${base()}/events`);
    await page.fill('input[aria-label="Event name"]', "Refund");
    await page.selectOption('select[aria-label="Detector"]', "keywords");
    await page.fill('input[aria-label="Detector setting"]', "refund");
    await page.click("text=Create event");
    await page.waitForSelector(`${row} td[data-status="active"]`);
    await log([{ task_id: "t1", input: "I want a refund", output: "ok" }]);
    expect(await detections(["t1"], 1)).toEqual(["t1@1:true"]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await runner?.stop();
    await server?.close();
  });

  it("changes the keywords: a new version, which detects new tasks by the new rule", async () => {
    await openEditor();
    const form = page.locator("form[data-editing]");
    expect(await form.locator('input[aria-label="Event name"]').inputValue()).toBe("Refund");
    expect(await form.locator('input[aria-label="Detector setting"]').inputValue()).toBe("refund");
    await form.locator('input[aria-label="Detector setting"]').fill("money back, reimburse");
    await form.locator('button:has-text("Save event")').click();
    await page.waitForSelector('[role="status"]:has-text("as version 2")');
    expect((await page.textContent(`${row} [data-event-setting]`))?.trim()).toBe("money back, reimburse");
    expect(await page.getAttribute(`${row} [data-event-version]`, "data-event-version")).toBe("2");

    await log([
      { task_id: "t2", input: "Can I get my money back?", output: "ok" },
      { task_id: "t3", input: "refund please", output: "ok" },
    ]);
    expect(await detections(["t2", "t3"], 2)).toEqual(["t2@2:true", "t3@2:false"]);
    // The old version's detection stays as it was.
    expect(await detections(["t1"], 1)).toEqual(["t1@1:true"]);
    // The task list shows the current version's badges.
    await page.goto(`${base()}/tasks?range=all`);
    await page.waitForSelector('tr[data-task-id="t2"] [data-event="Refund"]');
    expect(await page.$('tr[data-task-id="t3"] [data-event="Refund"]')).toBeNull();
    expect(await page.$('tr[data-task-id="t1"] [data-event="Refund"]')).toBeNull();
  });

  it("filters tasks by the keyword an event matched", async () => {
    await log([{ task_id: "t4", input: "Please reimburse me", output: "ok" }]);
    expect(await detections(["t4"], 2)).toEqual(["t4@2:true"]);
    await page.goto(`${base()}/tasks?range=all`);
    await page.waitForSelector('tr[data-task-id="t4"]');
    await page.click("details.analytics-filter summary");
    const eventId = (await stored()).id;
    await page.selectOption('select[aria-label="Event filter"]', eventId);
    const shown = () =>
      page.$$eval("tr[data-task-id]", (rows) =>
        rows
          .map((tr) => tr.getAttribute("data-task-id"))
          .sort()
          .join(),
      );
    await page.waitForFunction(() => document.querySelectorAll("tr[data-task-id]").length === 2);
    expect(await shown()).toBe("t2,t4");
    await page.selectOption('select[aria-label="Event label"]', "reimburse");
    await page.waitForFunction(() => document.querySelectorAll("tr[data-task-id]").length === 1);
    expect(await shown()).toBe("t4");
    expect(new URL(page.url()).searchParams.get("event_label")).toBe("reimburse");
  });

  it("renames and describes a keyword event without a new version", async () => {
    await openEditor();
    await page.fill('form[data-editing] input[aria-label="Event name"]', "Refund asked");
    await page.fill('form[data-editing] input[aria-label="Event description"]', "The user wants money back.");
    await page.click('form[data-editing] button:has-text("Save event")');
    await page.waitForSelector('[role="status"]:has-text("still version 2")');
    expect(await stored()).toMatchObject({
      name: "Refund asked",
      description: "The user wants money back.",
      version: 2,
    });
    // Back to the name the other tests look for.
    await page.click('[data-event-row="Refund asked"] button:has-text("Edit")');
    await page.fill('form[data-editing] input[aria-label="Event name"]', "Refund");
    await page.click('form[data-editing] button:has-text("Save event")');
    await page.waitForSelector(`${row}`);
  });

  it("shows a refused webhook URL's reason, then saves an allowed one without a new version", async () => {
    await openEditor();
    await page.fill('form[data-editing] input[aria-label="Webhook URL"]', "http://127.0.0.1:9/hook");
    await page.click('form[data-editing] button:has-text("Save event")');
    const error = page.locator("form[data-editing] .error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^webhook_url: 127\.0\.0\.1 is a loopback address/);
    expect((await stored()).webhook_url).toBeNull();

    await page.fill(
      'form[data-editing] input[aria-label="Webhook URL"]',
      "https://hooks.example.com/phospho",
    );
    await page.click('form[data-editing] button:has-text("Save event")');
    await page.waitForSelector('[role="status"]:has-text("still version 2")');
    expect(await stored()).toMatchObject({ webhook_url: "https://hooks.example.com/phospho", version: 2 });
    expect(await page.textContent(`${row} [data-event-version]`)).toContain("webhook");
  });

  it("pauses and resumes, from the row and from the form", async () => {
    await page.goto(`${base()}/events`);
    await page.click(`${row} button:has-text("Pause")`);
    await page.waitForSelector(`${row} td[data-status="inactive"]`);
    expect((await stored()).active).toBe(false);
    await page.click(`${row} button:has-text("Resume")`);
    await page.waitForSelector(`${row} td[data-status="active"]`);

    await openEditor();
    await page.uncheck('form[data-editing] input[aria-label="Active"]');
    await page.click('form[data-editing] button:has-text("Save event")');
    await page.waitForSelector(`${row} td[data-status="inactive"]`);
    expect(await stored()).toMatchObject({ active: false, version: 2 });
    await openEditor();
    await page.check('form[data-editing] input[aria-label="Active"]');
    await page.click('form[data-editing] button:has-text("Save event")');
    await page.waitForSelector(`${row} td[data-status="active"]`);
  });

  it("turns the event into an LLM tagger with its own prompt: a new version, paused without an endpoint", async () => {
    await openEditor();
    await page.selectOption('form[data-editing] select[aria-label="Detector"]', "llm_tagger");
    await page.fill(
      'form[data-editing] textarea[aria-label="LLM prompt"]',
      "Does the user ask for a refund?",
    );
    await page.click('form[data-editing] button:has-text("Save event")');
    await page.waitForSelector('[role="status"]:has-text("as version 3")');
    await page.waitForSelector(`${row} td[data-status="paused"]`);
    expect(await stored()).toMatchObject({
      detector: "llm_tagger",
      version: 3,
      config: { prompt: "Does the user ask for a refund?" },
    });
    await openEditor();
    expect(await page.inputValue('form[data-editing] textarea[aria-label="LLM prompt"]')).toBe(
      "Does the user ask for a refund?",
    );
    await page.click('form[data-editing] button:has-text("Cancel")');
    expect(await page.$("form[data-editing]")).toBeNull();
  });

  it("deletes the event and its detections after a confirmation", async () => {
    await page.goto(`${base()}/events`);
    await page.click(`${row} button:has-text("Delete")`);
    await page.click(`${row} button:has-text("Keep")`);
    expect(await page.$(row)).not.toBeNull();
    await page.click(`${row} button:has-text("Delete")`);
    await page.click(`${row} button:has-text("Delete it and its detections")`);
    await page.waitForSelector(row, { state: "detached" });
    const left = await server.store.db
      .selectFrom("detections")
      .select("task_id")
      .where("project_id", "=", server.projectId)
      .execute();
    expect(left).toEqual([]);
  });
});
