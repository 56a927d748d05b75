/**
 * The conversation and the trace view in real headless Chromium: an agent trace sent over OTLP/HTTP JSON and a
 * multi-turn task with tool calls sent on `/v2/log`, read back in the tasks table (step count), the task detail
 * (every message in order, tool calls and results) and the waterfall (nesting, a clicked step's content, HTML
 * staying text). Saves the trace view as a screenshot (docs/screenshots/trace.png with
 * PHOSPHO_WRITE_SCREENSHOTS=1).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable } from "./support/chromium.js";
import { DASHBOARD_DIR, startServer, type TestServer } from "./support/server.js";

const enabled = chromiumAvailable();
const TRACE_ID = randomBytes(16).toString("hex");
const XSS = 'Result: <img src=x onerror=alert("trace")> done';

const str = (value: string) => ({ stringValue: value });
const attrs = (values: Record<string, string | number>) =>
  Object.entries(values).map(([key, value]) => ({
    key,
    value: typeof value === "number" ? { intValue: String(value) } : str(value),
  }));
const parts = (role: string, text: string) => ({ role, parts: [{ type: "text", content: text }] });

/** An agent run: a planning call, two tools (one failing), a retrieval and an answering call. */
function agentTrace(t0: number) {
  const ids = Array.from({ length: 6 }, () => randomBytes(8).toString("hex"));
  const [root, plan, search, weather, retrieve, answer] = ids as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const span = (
    spanId: string,
    parent: string | null,
    name: string,
    start: number,
    end: number,
    values: Record<string, string | number>,
    status: Record<string, unknown> = {},
  ) => ({
    traceId: TRACE_ID,
    spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name,
    startTimeUnixNano: `${t0 + start}000000`,
    endTimeUnixNano: `${t0 + end}000000`,
    attributes: attrs(values),
    status,
  });
  const question = "Plan a rainy-day afternoon in Lisbon";
  const spans = [
    span(root, null, "invoke_agent trip-planner", 0, 5_200, {
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.conversation.id": "trace-session",
      "user.id": "ada",
    }),
    span(plan, root, "chat gpt-4o", 40, 1_300, {
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.input_tokens": 412,
      "gen_ai.usage.output_tokens": 38,
      "gen_ai.input.messages": JSON.stringify([
        parts("system", "You plan city trips."),
        parts("user", question),
      ]),
      "gen_ai.output.messages": JSON.stringify([
        {
          role: "assistant",
          parts: [{ type: "tool_call", id: "c1", name: "search_museums", arguments: { city: "Lisbon" } }],
        },
      ]),
    }),
    span(search, root, "execute_tool search_museums", 1_350, 2_100, {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "search_museums",
      "gen_ai.tool.call.arguments": '{"city":"Lisbon"}',
      "gen_ai.tool.call.result": JSON.stringify({ museums: ["Gulbenkian", "MAAT", XSS] }),
    }),
    span(
      weather,
      root,
      "execute_tool weather",
      1_360,
      1_900,
      { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "weather" },
      { code: 2, message: "weather API timed out" },
    ),
    span(retrieve, search, "retrieve reviews", 1_500, 1_950, { "gen_ai.operation.name": "retrieval" }),
    span(answer, root, "chat gpt-4o", 2_200, 5_100, {
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.input_tokens": 980,
      "gen_ai.usage.output_tokens": 164,
      "gen_ai.input.messages": JSON.stringify([
        parts("system", "You plan city trips."),
        parts("user", question),
        {
          role: "assistant",
          parts: [{ type: "tool_call", id: "c1", name: "search_museums", arguments: { city: "Lisbon" } }],
        },
        {
          role: "tool",
          parts: [{ type: "tool_call_response", id: "c1", response: { museums: ["Gulbenkian", "MAAT"] } }],
        },
      ]),
      "gen_ai.output.messages": JSON.stringify([
        parts("assistant", "Start at the **Gulbenkian**, then take the tram to the MAAT by the river."),
      ]),
    }),
  ];
  return {
    resourceSpans: [
      { resource: { attributes: attrs({ "service.name": "trip-planner" }) }, scopeSpans: [{ spans }] },
    ],
  };
}

describe.skipIf(!enabled)("conversation and trace view in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const base = () => `${server.origin}/projects/${server.projectId}`;

  beforeAll(async () => {
    server = await startServer();
    const headers = { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" };
    const traces = await fetch(`${server.origin}/v1/traces`, {
      method: "POST",
      headers,
      body: JSON.stringify(agentTrace(Date.now() - 60_000)),
    });
    expect(traces.status).toBe(200);
    const logged = await fetch(`${server.origin}/v2/log/${server.projectId}`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        batched_log_events: [
          {
            task_id: "multi-turn",
            input: "And on Sunday?",
            output: "Most museums open at 10 on Sunday.",
            raw_input: {
              model: "gpt-4o-mini",
              messages: [
                { role: "system", content: "You are a Lisbon guide." },
                { role: "user", content: "Is the Gulbenkian open on Monday?" },
                { role: "assistant", content: "No, it is closed on Tuesdays; Monday it is open." },
                { role: "user", content: "Opening hours?" },
                {
                  role: "assistant",
                  content: null,
                  tool_calls: [
                    {
                      id: "h1",
                      type: "function",
                      function: { name: "hours", arguments: '{"place":"Gulbenkian"}' },
                    },
                  ],
                },
                { role: "tool", tool_call_id: "h1", content: '{"open":"10:00","close":"18:00"}' },
                { role: "user", content: "And on Sunday?" },
              ],
            },
            raw_output: {
              choices: [{ message: { role: "assistant", content: "Most museums open at 10 on Sunday." } }],
            },
          },
        ],
      }),
    });
    expect(logged.status).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(await server.signInLink());
    await page.waitForURL("**/overview");
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the step count and duration of a traced task in the tasks table", async () => {
    await page.goto(`${base()}/tasks`);
    const row = page.locator(`tr[data-task-id="${TRACE_ID}"]`);
    await row.waitFor();
    await expect(row.locator(".step-count").textContent()).resolves.toBe("6 steps");
    await expect(row.textContent()).resolves.toContain("5.20 s");
    await expect(page.locator('tr[data-task-id="multi-turn"] .step-count').count()).resolves.toBe(0);
  });

  it("shows every message of a multi-turn conversation in order, with the tool call and its result", async () => {
    await page.goto(`${base()}/tasks/multi-turn`);
    await page.waitForSelector(".conversation-messages");
    const roles = await page.$$eval(".conversation-messages [data-role]", (nodes) =>
      nodes.map((node) => node.getAttribute("data-role")),
    );
    expect(roles).toEqual(["system", "user", "assistant", "user", "tool-call", "tool", "user", "assistant"]);
    const text = await page.locator(".conversation-messages").textContent();
    expect(text).toContain("Is the Gulbenkian open on Monday?");
    expect(text).toContain('"place": "Gulbenkian"');
    expect(text).toContain('"close": "18:00"');
  });

  it("draws the trace as a nested waterfall and shows a clicked step's input, output and attributes as text", async () => {
    await page.goto(`${base()}/tasks/${TRACE_ID}`);
    await page.waitForSelector(".trace-row");
    const rows = await page.$$eval(".trace-row", (nodes) =>
      nodes.map((node) => ({
        name: node.querySelector(".trace-name")?.textContent,
        indent: (node.querySelector(".trace-label") as HTMLElement).style.paddingLeft,
        failed: node.classList.contains("failed"),
      })),
    );
    expect(rows.map((row) => row.name)).toEqual([
      "invoke_agent trip-planner",
      "chat gpt-4o",
      "execute_tool search_museums",
      "retrieve reviews",
      "execute_tool weather",
      "chat gpt-4o",
    ]);
    expect(rows.map((row) => row.indent)).toEqual(["0px", "14px", "14px", "28px", "14px", "14px"]);
    expect(rows.find((row) => row.name === "execute_tool weather")?.failed).toBe(true);
    const bars = await page.$$eval(".trace-bar", (nodes) =>
      nodes.map((node) => (node as HTMLElement).style.left),
    );
    expect(bars[0]).toBe("0%");

    // The whole conversation of the trace's last call is the task's conversation.
    const roles = await page.$$eval(".conversation-messages [data-role]", (nodes) =>
      nodes.map((node) => node.getAttribute("data-role")),
    );
    expect(roles).toEqual(["system", "user", "tool-call", "tool", "assistant"]);

    await page.click('.trace-row:has-text("execute_tool search_museums")');
    const detail = page.locator(".step-detail");
    await detail.waitFor();
    await expect(detail.textContent()).resolves.toContain("Gulbenkian");
    await expect(detail.locator("img").count()).resolves.toBe(0);
    await expect(detail.textContent()).resolves.toContain('<img src=x onerror=alert(\\"trace\\")>');
    await page.click('.trace-row:has-text("execute_tool weather")');
    await expect(page.locator(".step-detail").textContent()).resolves.toContain("weather API timed out");
    await page.click('.trace-row:has-text("execute_tool search_museums")');
    expect(dialogs).toEqual([]);

    const out =
      process.env.PHOSPHO_WRITE_SCREENSHOTS === "1"
        ? resolve(DASHBOARD_DIR, "../../docs/screenshots/trace.png")
        : join(mkdtempSync(join(tmpdir(), "phospho-shot-")), "trace.png");
    await page.locator("section.trace").screenshot({ path: out });
    expect(statSync(out).size).toBeGreaterThan(10_000);
  });
});
