/** Sets the tab title to `<page> · phospho` while the page is shown. */
import { useEffect } from "react";

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · phospho` : "phospho";
  }, [title]);
}
