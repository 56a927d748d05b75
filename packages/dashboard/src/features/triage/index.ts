/** Keyboard triage: the shortcuts, their help, and the peek panel. */
export { PeekPanel } from "./PeekPanel";
export { ShortcutHelp } from "./ShortcutHelp";
export { useTriageKeys } from "./useTriageKeys";
