/**
 * Keyboard triage on a list: `j`/`k` move, `o`/Enter open, `p` toggles the peek panel, `1`/`2` flag success or
 * failure, `?` shows the shortcuts, Escape closes. Keys typed in a field are left alone.
 */
import { useEffect, useLayoutEffect, useRef } from "react";

export interface TriageHandlers {
  count: number;
  selected: number;
  select(index: number): void;
  open(index: number): void;
  flag(index: number, value: "success" | "failure"): void;
  togglePeek(): void;
  toggleHelp(): void;
  escape(): void;
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function useTriageKeys(handlers: TriageHandlers): void {
  const ref = useRef(handlers);
  // Before paint, so a key pressed as soon as rows show sees them.
  useLayoutEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.metaKey || e.ctrlKey || e.altKey || typing(e.target)) return;
      const h = ref.current;
      const at = Math.max(h.selected, 0);
      switch (e.key) {
        case "j":
        case "k": {
          const next = e.key === "j" ? Math.min(h.selected + 1, h.count - 1) : Math.max(h.selected - 1, 0);
          h.select(next);
          // Keys pressed before the next render move on from this row, not from the last rendered one.
          ref.current = { ...h, selected: next };
          break;
        }
        case "o":
        case "Enter":
          if (
            h.selected < 0 ||
            e.target instanceof HTMLButtonElement ||
            e.target instanceof HTMLAnchorElement
          )
            return;
          h.open(h.selected);
          break;
        case "1":
          if (h.selected >= 0) h.flag(at, "success");
          break;
        case "2":
          if (h.selected >= 0) h.flag(at, "failure");
          break;
        case "p":
          h.togglePeek();
          break;
        case "?":
          h.toggleHelp();
          break;
        case "Escape":
          h.escape();
          break;
        default:
          return;
      }
      e.preventDefault();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
