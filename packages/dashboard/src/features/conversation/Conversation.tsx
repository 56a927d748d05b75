/**
 * The whole conversation of a task, in order: every system, user, assistant and tool message of the raw input, then
 * the output, with tool calls and their arguments. Text goes through ChatBubble (Markdown without raw HTML); tool
 * calls and results are plain text.
 */
import { ChatBubble } from "../../components/ChatBubble";
import type { Task } from "../../api/types";
import { conversationOf, type Message } from "./messages";

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function ToolCalls({ message }: { message: Message }) {
  return (
    <>
      {message.toolCalls.map((call, index) => (
        <div className="bubble tool-call" data-role="tool-call" key={`${call.id ?? ""}-${index}`}>
          <div className="bubble-role">
            Tool call <span className="mono">{call.name}</span>
            {call.id ? <span className="muted mono small"> {call.id}</span> : null}
          </div>
          <pre className="bubble-body">{prettyJson(call.arguments)}</pre>
        </div>
      ))}
    </>
  );
}

export function Conversation({
  task,
}: {
  task: Pick<Task, "raw_input" | "raw_output" | "input" | "output" | "system_prompt">;
}) {
  const messages = conversationOf(task);
  return (
    <div className="conversation-messages">
      {messages.map((message, index) =>
        message.role === "tool" ? (
          <div className="bubble tool" data-role="tool" key={index}>
            <div className="bubble-role">
              Tool result
              {message.toolCallId ? <span className="muted mono small"> {message.toolCallId}</span> : null}
            </div>
            <pre className="bubble-body">{message.text === null ? "(empty)" : prettyJson(message.text)}</pre>
          </div>
        ) : (
          <div key={index}>
            {(message.text !== null || message.toolCalls.length === 0) && (
              <ChatBubble role={message.role} text={message.text} />
            )}
            <ToolCalls message={message} />
          </div>
        ),
      )}
    </div>
  );
}
