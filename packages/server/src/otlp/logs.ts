/**
 * OTLP log records that carry message content (how `@opentelemetry/instrumentation-openai` and the GenAI event
 * conventions report it), as entries joined to their span: `gen_ai.{system,user,assistant,tool}.message` go to the
 * span's input, `gen_ai.choice` to its output, and `gen_ai.client.inference.operation.details` to both.
 */
import type { StepLogEntry } from "../steps/index.js";
import { fromEventBody, fromPartsMessages, fromSystemInstructions } from "./messages.js";
import type { OtlpLogRecord } from "./read.js";

const INPUT_EVENT = /^gen_ai\.(system|user|assistant|tool)\.message$/;

export function logEntries(record: OtlpLogRecord): StepLogEntry[] {
  const name = record.eventName ?? "";
  const time = record.timeMs;
  if (INPUT_EVENT.test(name) || name === "gen_ai.choice") {
    const message = fromEventBody(name, record.body);
    return message ? [{ side: name === "gen_ai.choice" ? "output" : "input", time, message }] : [];
  }
  const attributes = record.attributes;
  const input = fromPartsMessages(attributes["gen_ai.input.messages"]) ?? [];
  const system = fromSystemInstructions(attributes["gen_ai.system_instructions"]);
  const output = fromPartsMessages(attributes["gen_ai.output.messages"]) ?? [];
  return [
    ...(system ? [{ side: "input" as const, time, message: system }] : []),
    ...input.map((message) => ({ side: "input" as const, time, message })),
    ...output.map((message) => ({ side: "output" as const, time, message })),
  ];
}
