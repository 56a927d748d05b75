/**
 * A recorded OpenLLMetry-shaped payload (Traceloop's indexed `gen_ai.prompt.{i}.*` / `gen_ai.completion.{i}.*`,
 * `traceloop.*` workflow and tool spans, association properties, a client-reported cost) into the real binary.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, startCollector, type Collector, type WireTask } from "./emitters.js";

const PAYLOAD = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), "fixtures/openllmetry-trace.json"),
  "utf8",
);
const TRACE_ID = "5b8efff798038103d269b633813fc60c";

describe("OpenLLMetry payload → /v1/traces", () => {
  let collector: Collector;
  beforeAll(async () => {
    collector = await startCollector();
  }, 60_000);
  afterAll(async () => {
    await collector?.stop();
  });

  it("maps indexed prompts and completions, workflow and tool spans, association properties and cost", async () => {
    const res = await post(collector.origin, "/v1/traces", PAYLOAD, { "content-type": "application/json" });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({});
    const task = await collector.v2<WireTask>(`/tasks/${TRACE_ID}`);
    expect(task.input).toBe("Plan a day in Rome");
    expect(task.output).toBe("Visit the Colosseum, then lunch in Trastevere.");
    expect(task.session_id).toBe("ollm-session");
    expect(task.metadata).toMatchObject({
      user_id: "margaret",
      version_id: "0.9.1",
      environment: "production",
      system_prompt: "You are a travel agent.",
      prompt_tokens: 290,
      completion_tokens: 40,
      total_tokens: 330,
      cache_read_tokens: 64,
      latency_ms: 4_200,
      stream_status: "completed",
      model: "gpt-4o-2024-08-06",
      provider: "openai",
      finish_reason: "stop",
    });
    expect(task.steps[1]!.attributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "gen_ai.response.finish_reasons": ["tool_calls"],
    });
    expect(task.steps[1]!.attributes["gen_ai.system"]).toBeUndefined();
    expect(task.metadata.cost_usd).toBeCloseTo(0.0027, 10);
    expect(task.steps.map((step) => [step.name, step.kind])).toEqual([
      ["trip_planner.workflow", "agent"],
      ["openai.chat", "llm"],
      ["sights.tool", "tool"],
      ["openai.chat", "llm"],
    ]);
    expect(task.steps[2]).toMatchObject({ input: { city: "Rome" }, output: ["Colosseum", "Trastevere"] });
    expect(task.steps[3]!.input).toEqual([
      { role: "system", content: "You are a travel agent." },
      { role: "user", content: "Plan a day in Rome" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_rome", type: "function", function: { name: "sights", arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: "tool", content: '["Colosseum","Trastevere"]', tool_call_id: "call_rome" },
    ]);
    expect(Object.keys(task.steps[1]!.attributes).some((key) => key.startsWith("gen_ai.prompt."))).toBe(
      false,
    );
  });
});
