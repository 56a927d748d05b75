/**
 * One message as a chat bubble. Markdown is rendered by react-markdown WITHOUT any raw-HTML plugin: HTML in a
 * model's output shows as text and never becomes an element (see Markdown.tsx); long messages collapse.
 */
import { Collapsible } from "./Collapsible";
import { Markdown } from "./Markdown";

export type Role = "system" | "user" | "assistant";

const LABELS: Record<Role, string> = { system: "System", user: "User", assistant: "Assistant" };

export function ChatBubble({ role, text }: { role: Role; text: string | null }) {
  return (
    <div className={`bubble ${role}`} data-role={role}>
      <div className="bubble-role">{LABELS[role]}</div>
      <div className="bubble-body markdown">
        {text === null || text === "" ? (
          <em className="muted">(empty)</em>
        ) : (
          <Collapsible>
            <Markdown text={text} />
          </Collapsible>
        )}
      </div>
    </div>
  );
}
