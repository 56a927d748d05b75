/**
 * Logged text as Markdown, safely: no raw HTML (react-markdown without a raw-HTML plugin shows it as text),
 * no images (no tracking pixels), and a link whose address is not http(s), mailto or relative is shown as
 * plain text rather than a working-looking link. Tables and strikethrough come from remark-gfm; code blocks
 * get a copy button.
 */
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { CopyButton } from "./CopyButton";

const SAFE = /^(https?:|mailto:|#|\/(?!\/))/i;

function textOf(node: unknown): string {
  if (typeof node === "string") return node;
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (node && typeof node === "object" && "props" in node)
    return textOf((node as { props: { children?: unknown } }).props.children);
  return "";
}

const components: Components = {
  a({ href, children }) {
    if (!href || !SAFE.test(href.trim())) return <span className="unsafe-link">{children}</span>;
    return (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    );
  },
  pre({ children }) {
    return (
      <div className="code-block">
        <CopyButton text={textOf(children).replace(/\n$/, "")} label="Copy code" />
        <pre>{children}</pre>
      </div>
    );
  },
  table({ children }) {
    return (
      <div className="md-table">
        <table>{children}</table>
      </div>
    );
  },
};

/** Keeps every address as written (react-markdown's default empties unsafe ones; `a` above decides). */
const keep = (url: string) => url;

export function Markdown({ text }: { text: string }) {
  return (
    <ReactMarkdown
      remarkPlugins={[remarkGfm]}
      disallowedElements={["img"]}
      unwrapDisallowed
      components={components}
      urlTransform={keep}
    >
      {text}
    </ReactMarkdown>
  );
}
