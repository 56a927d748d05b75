/** Long content cut to a fixed height with "Show more" / "Show less", so long pages stay scannable. */
import { useLayoutEffect, useRef, useState, type ReactNode } from "react";

/** Height in px above which content collapses. */
export const COLLAPSED_HEIGHT = 320;

export function Collapsible({
  children,
  maxHeight = COLLAPSED_HEIGHT,
}: {
  children: ReactNode;
  maxHeight?: number;
}) {
  const inner = useRef<HTMLDivElement>(null);
  const [tall, setTall] = useState(false);
  const [open, setOpen] = useState(false);
  useLayoutEffect(() => {
    const el = inner.current;
    if (el) setTall(el.scrollHeight > maxHeight + 40);
  }, [children, maxHeight]);
  return (
    <div className={`collapsible ${tall && !open ? "collapsed" : ""}`}>
      <div ref={inner} className="collapsible-body" style={tall && !open ? { maxHeight } : undefined}>
        {children}
      </div>
      {tall && (
        <button type="button" className="show-more ghost" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? "Show less" : "Show more"}
        </button>
      )}
    </div>
  );
}
