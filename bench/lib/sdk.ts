/**
 * The phospho SDK as the bench sees it: loaded from its built output (packages/phospho/dist), typed here by the
 * documented contract only, so the bench measures exactly what users install.
 */
import { pathToFileURL } from "node:url";
import { requirePart, sdkEntry } from "./paths.js";

export interface SdkStats {
  logged: number;
  queued: number;
  /** Events written to the spool directory for a later start. */
  spooled: number;
  sent: number;
  retried: number;
  /** Dropped events by reason (for example `queue_full`, `rejected`, `retries_exhausted`). */
  dropped: Record<string, number>;
}

export interface PhosphoClient {
  init(options: Record<string, unknown>): unknown;
  log(event: Record<string, unknown>): unknown;
  flush(timeoutMs?: number): Promise<boolean>;
  shutdown(timeoutMs?: number): Promise<unknown>;
  stats(): unknown;
}

export interface SdkModule {
  Phospho: new (options?: Record<string, unknown>) => PhosphoClient;
}

export async function loadSdk(): Promise<SdkModule> {
  const file = requirePart("The SDK (packages/phospho)", sdkEntry);
  const mod = (await import(pathToFileURL(file).href)) as Partial<SdkModule>;
  if (typeof mod.Phospho !== "function") throw new Error(`${file} does not export the Phospho class`);
  return mod as SdkModule;
}

/**
 * Reads `stats()` whatever its exact nesting (`dropped` as a number map, or a total plus `droppedByReason`),
 * so that the fault tables always show the same four columns.
 */
export function readStats(client: PhosphoClient): SdkStats {
  const raw = (client.stats() ?? {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === "number" ? v : 0);
  const dropped: Record<string, number> = {};
  const byReason = raw.droppedByReason ?? raw.dropped_by_reason ?? raw.dropped;
  if (byReason && typeof byReason === "object") {
    for (const [k, v] of Object.entries(byReason as Record<string, unknown>)) {
      if (typeof v === "number" && v > 0 && k !== "total") dropped[k] = v;
    }
  } else if (num(byReason) > 0) {
    dropped.unknown = num(byReason);
  }
  return {
    logged: num(raw.logged),
    queued: num(raw.queued),
    spooled: num(raw.spooled),
    sent: num(raw.sent),
    retried: num(raw.retried),
    dropped,
  };
}

export function droppedTotal(stats: SdkStats): number {
  return Object.values(stats.dropped).reduce((a, b) => a + b, 0);
}

export function fmtDropped(stats: SdkStats): string {
  const entries = Object.entries(stats.dropped);
  if (entries.length === 0) return "0";
  return `${droppedTotal(stats)} (${entries.map(([k, v]) => `${k}: ${v}`).join(", ")})`;
}
