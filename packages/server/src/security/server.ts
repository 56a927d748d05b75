/**
 * The HTTP server under Fastify, with the budgets a public socket needs: a time limit on receiving each request
 * (headers and body), an idle limit on keep-alive sockets, and caps on open connections in total and per client
 * address. A client trickling one byte every few seconds is cut off at the request timeout; a crowd of them is
 * refused past the caps, so `/v2/health` and honest clients keep a socket.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface SocketBudgets {
  /** Most time to receive one whole request (headers and body), ms. 0 disables. */
  requestTimeoutMs: number;
  /** Most time to receive the headers of a request, ms. */
  headersTimeoutMs: number;
  /** A socket with no traffic for this long is closed, ms (keep-alive sockets between requests too). */
  idleTimeoutMs: number;
  /** Open connections in total; past it new ones are closed at once. 0: no cap. */
  maxConnections: number;
  /** Open connections from one client address (the socket's, never a forwarded header). 0: no cap. */
  maxConnectionsPerAddress: number;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Counts sockets per address and closes those past a cap before any byte of theirs is read. */
export function capConnections(server: Server, budgets: SocketBudgets): void {
  const perAddress = new Map<string, number>();
  let open = 0;
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const mine = (perAddress.get(address) ?? 0) + 1;
    const overTotal = budgets.maxConnections > 0 && open + 1 > budgets.maxConnections;
    const overAddress = budgets.maxConnectionsPerAddress > 0 && mine > budgets.maxConnectionsPerAddress;
    if (overTotal || overAddress) {
      socket.destroy();
      return;
    }
    open += 1;
    perAddress.set(address, mine);
    socket.once("close", () => {
      open -= 1;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });
}

/** A `serverFactory` for Fastify: Node's HTTP server with the budgets above. */
export function budgetedServerFactory(budgets: SocketBudgets): (handler: Handler) => Server {
  return (handler) => {
    const headersTimeout =
      budgets.requestTimeoutMs > 0
        ? Math.min(budgets.headersTimeoutMs, budgets.requestTimeoutMs)
        : budgets.headersTimeoutMs;
    const server = createServer(
      {
        requestTimeout: budgets.requestTimeoutMs,
        headersTimeout,
        keepAliveTimeout: Math.min(5_000, budgets.idleTimeoutMs),
        // How often Node looks for requests past their timeouts (its default, 30 s, lets a slow client stay for
        // up to 30 s past the limit).
        connectionsCheckingInterval: Math.max(250, Math.min(1_000, headersTimeout / 4)),
      },
      handler,
    );
    server.setTimeout(budgets.idleTimeoutMs, (socket) => socket.destroy());
    capConnections(server, budgets);
    return server;
  };
}
