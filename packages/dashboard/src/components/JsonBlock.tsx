/** Collapsible pretty-printed JSON (rendered as text), with a copy button. */
import { CopyButton } from "./CopyButton";

export function JsonBlock({ title, value, open = false }: { title: string; value: unknown; open?: boolean }) {
  const text =
    value === null || value === undefined
      ? "null"
      : typeof value === "string"
        ? value
        : JSON.stringify(value, null, 2);
  return (
    <details className="json-block" open={open}>
      <summary>{title}</summary>
      <div className="code-block">
        <CopyButton text={text} label="Copy JSON" />
        <pre>{text}</pre>
      </div>
    </details>
  );
}
