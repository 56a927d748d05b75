/** Keyboard triage: the shortcuts, their help, and the peek panel (import PeekPanel lazily: it carries Markdown). */
export { PeekPanel } from "./PeekPanel";
export { ShortcutHelp } from "./ShortcutHelp";
export { useTriageKeys } from "./useTriageKeys";
