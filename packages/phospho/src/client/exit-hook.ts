// In Node, flush pending logs when the event loop empties (`beforeExit`), so a script that logs and ends
// still delivers. One listener for all clients; browsers and edge runtimes have no `process.on` and skip it.

type ProcessLike = { on?: (event: string, listener: () => void) => unknown };

export interface ExitFlushable {
  /** Starts the exit flush if there is something to send; resolves when it is over. */
  flushOnExit(): Promise<unknown> | undefined;
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
  if (installed) return;
  const proc = (globalThis as { process?: ProcessLike }).process;
  if (typeof proc?.on !== "function") return;
  proc.on("beforeExit", onBeforeExit);
  installed = true;
}

export function unregisterExitFlush(client: ExitFlushable): void {
  clients.delete(client);
}
