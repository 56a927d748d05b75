/**
 * Reads and throws away what is left of a request body, up to `maxBytes` or `maxMs`. A server that answers 413
 * while the client is still sending resets the connection under it (the client sees EPIPE, not the answer);
 * draining first lets the client read the 413. Past the bounds it stops, and the reply closes the connection.
 */
import type { IncomingMessage } from "node:http";

export function discardBody(request: IncomingMessage, maxBytes: number, maxMs = 10_000): Promise<void> {
  if (request.complete || request.destroyed || request.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (): void => {
      clearTimeout(timer);
      request.off("data", onData);
      request.off("end", finish);
      request.off("error", finish);
      request.off("close", finish);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > maxBytes) {
        request.pause();
        finish();
      }
    };
    const timer = setTimeout(finish, maxMs);
    timer.unref();
    request.on("data", onData);
    request.once("end", finish);
    request.once("error", finish);
    request.once("close", finish);
    request.resume();
  });
}
