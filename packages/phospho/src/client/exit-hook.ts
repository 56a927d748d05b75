// In Node, flush pending logs when the event loop empties (`beforeExit`), so a script that logs and ends
// still delivers. In a browser, send them with `keepalive` when the page is hidden or left (`pagehide`,
// `visibilitychange`), since a page may never come back. One set of listeners for all clients; runtimes
// with neither (workers, edge) skip both.

type ProcessLike = { on?: (event: string, listener: () => void) => unknown };

export interface ExitFlushable {
  /** Starts the exit flush if there is something to send; resolves when it is over. */
  flushOnExit(): Promise<unknown> | undefined;
  /** The page is hidden (`final` false) or left (`final` true): send what is pending with keepalive. */
  flushOnPageExit(final: boolean): void;
}

interface PageLike {
  addEventListener?: (type: string, listener: () => void) => void;
  document?: { visibilityState?: string; addEventListener?: (type: string, listener: () => void) => void };
}

function onPageExit(final: boolean): void {
  for (const client of clients) {
    try {
      client.flushOnPageExit(final);
    } catch {
      // One client failing must not stop the others.
    }
  }
}

let pageInstalled = false;

function installPageHooks(): void {
  const page = globalThis as PageLike;
  const doc = page.document;
  if (
    pageInstalled ||
    typeof page.addEventListener !== "function" ||
    typeof doc?.addEventListener !== "function"
  )
    return;
  pageInstalled = true;
  page.addEventListener("pagehide", () => onPageExit(true));
  doc.addEventListener("visibilitychange", () => {
    if (doc.visibilityState === "hidden") onPageExit(false);
  });
}

const clients = new Set<ExitFlushable>();
let installed = false;

function onBeforeExit(): void {
  const running: Promise<unknown>[] = [];
  for (const client of clients) {
    const p = client.flushOnExit();
    if (p) running.push(p);
  }
  if (running.length === 0) return;
  // Retry waits use unref'd timers; this ref'd one keeps the process up until the exit flush is over.
  const keepAlive = setInterval(() => undefined, 1000);
  void Promise.allSettled(running).then(() => clearInterval(keepAlive));
}

export function registerExitFlush(client: ExitFlushable): void {
  clients.add(client);
  installPageHooks();
  if (installed) return;
  const proc = (globalThis as { process?: ProcessLike }).process;
  if (typeof proc?.on !== "function") return;
  proc.on("beforeExit", onBeforeExit);
  installed = true;
}

export function unregisterExitFlush(client: ExitFlushable): void {
  clients.delete(client);
}
