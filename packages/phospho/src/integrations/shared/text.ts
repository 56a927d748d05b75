// The task's output text, the same for every provider: the generated text, then one `name(arguments)` line per
// tool call, so that a tool-calling turn is readable in the dashboard without opening its raw output.

export interface ToolCallText {
  name: string;
  arguments: string;
}

export function joinOutput(text: string, toolCalls: ToolCallText[]): string | null {
  const lines = toolCalls.map((call) => `${call.name}(${call.arguments})`);
  if (text !== "") lines.unshift(text);
  return lines.length > 0 ? lines.join("\n") : null;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function jsonText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return String(value);
  }
}
