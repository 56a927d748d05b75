/**
 * Light or dark: follows `prefers-color-scheme` until the reader picks one, then keeps the pick in local
 * storage. The choice is the `data-theme` attribute of <html>, which styles.css reads.
 */
import { useSyncExternalStore } from "react";

export type Theme = "system" | "light" | "dark";
const KEY = "phospho.theme";
const listeners = new Set<() => void>();

function stored(): Theme {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

let current: Theme = stored();

function apply() {
  if (current === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = current;
}
apply();

export function setTheme(theme: Theme): void {
  current = theme;
  try {
    if (theme === "system") window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, theme);
  } catch {
    // private mode: the choice lasts for this page only
  }
  apply();
  for (const l of listeners) l();
}

/** Whether the page shows dark now (the pick, or the system's preference). */
export function isDark(theme: Theme = current): boolean {
  if (theme !== "system") return theme === "dark";
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
}

export function useTheme(): Theme {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
