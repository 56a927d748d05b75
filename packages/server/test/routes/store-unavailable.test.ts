/**
 * PostgreSQL going away mid-traffic: the collector answers 503 with Retry-After (never a 500), stores nothing of
 * the refused request, and serves again as soon as the database is back. The database is the real local
 * PostgreSQL, reached through a TCP relay the test cuts and restores.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isStoreUnavailable } from "../../src/store/unavailable.js";
import { testApp, type TestApp } from "../helpers/app.js";
import { createPostgresDatabase, storeEngines, type TestDatabase } from "../helpers/postgres.js";

const hasPostgres = (await storeEngines()).some((engine) => engine.name === "postgres");

/** A relay to PostgreSQL that can drop every connection and refuse new ones, then accept again. */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(port = 0): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

describe.skipIf(!hasPostgres)("PostgreSQL unavailable", () => {
  let database: TestDatabase;
  let relay: Relay;
  let t: TestApp;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const direct = new URL(database.url);
    relay = new Relay({ host: direct.hostname, port: Number(direct.port || 5432) });
    await relay.open();
    const relayed = new URL(database.url);
    relayed.port = String(relay.port);
    t = await testApp({}, { url: relayed.toString(), drop: async () => {} });
  });
  afterAll(async () => {
    await t?.close().catch(() => {});
    await relay?.cut();
    await database?.drop();
  });

  const log = (id: string) =>
    t.post(`/v2/log/${t.a.id}`, { batched_log_events: [{ input: `q ${id}`, task_id: id }] });

  it("answers 503 with Retry-After while it is away, then serves again", async () => {
    expect((await log("before")).statusCode).toBe(200);
    const port = relay.port;
    await relay.cut();

    const away = await log("away");
    expect(away.statusCode).toBe(503);
    expect(away.headers["retry-after"]).toBe("1");
    expect(away.json().detail).toMatch(/^The store is unavailable right now \(.+\): retry in a moment$/);

    await relay.open(port);
    // The pool may still hold a broken client; within a few tries a fresh connection serves the request.
    let back = await log("away");
    for (let i = 0; i < 5 && back.statusCode === 503; i++) back = await log("away");
    expect(back.statusCode).toBe(200);
    expect(await t.store.getTask(t.a.id, "before")).not.toBeNull();
    expect(await t.store.getTask(t.a.id, "away")).not.toBeNull();
  });

  it("answers OTLP with 503, Retry-After and a google.rpc.Status in the request's encoding", async () => {
    const port = relay.port;
    await relay.cut();
    const body = { resourceSpans: [] };
    const json = await t.app.inject({
      method: "POST",
      url: "/v1/traces",
      headers: { authorization: `Bearer ${t.a.key}`, "content-type": "application/json" },
      payload: JSON.stringify(body),
    });
    expect(json.statusCode).toBe(503);
    expect(json.headers["retry-after"]).toBe("1");
    expect(json.json()).toMatchObject({ code: 14, message: expect.stringMatching(/store is unavailable/) });
    const proto = await t.app.inject({
      method: "POST",
      url: "/v1/logs",
      headers: { authorization: `Bearer ${t.a.key}`, "content-type": "application/x-protobuf" },
      payload: Buffer.alloc(0),
    });
    expect(proto.statusCode).toBe(503);
    expect(proto.headers["retry-after"]).toBe("1");
    expect(proto.headers["content-type"]).toMatch(/^application\/x-protobuf/);
    // google.rpc.Status: field 1 (code, varint) = 14 UNAVAILABLE, then field 2 (message).
    expect([...proto.rawPayload.subarray(0, 2)]).toEqual([0x08, 14]);
    await relay.open(port);
  });
});

describe("isStoreUnavailable", () => {
  const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

  it("knows a store that is away from a request that failed", () => {
    expect(isStoreUnavailable(coded("terminating connection due to administrator command", "57P01"))).toBe(
      true,
    );
    expect(isStoreUnavailable(coded("the database system is starting up", "57P03"))).toBe(true);
    expect(isStoreUnavailable(coded("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isStoreUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(
      isStoreUnavailable(new Error("wrapped", { cause: coded("database is locked", "SQLITE_BUSY") })),
    ).toBe(true);
    expect(isStoreUnavailable(coded('duplicate key value violates unique constraint "x"', "23505"))).toBe(
      false,
    );
    expect(isStoreUnavailable(coded("syntax error", "42601"))).toBe(false);
    expect(isStoreUnavailable("not an error")).toBe(false);
  });
});
