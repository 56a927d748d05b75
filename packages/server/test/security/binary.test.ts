/**
 * Issue 13 against the spawned `phospho-server`: slow bodies are cut at the request timeout, connections are
 * capped per address and in total, data files are owner-only, short keys are refused, sign-in links die with a
 * restart, and keys are listed and revoked from the CLI.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli, startServer, type RunningServer } from "../helpers/server-process.js";

const KEY = `phk_binary_${randomBytes(16).toString("hex")}`;

/** A raw socket from `localAddress` (any 127.x address reaches the server on Linux loopback). */
function open(origin: string, localAddress: string): Promise<Socket> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), localAddress });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

function closed(socket: Socket): Promise<string> {
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  socket.on("error", () => {});
  return new Promise((resolve) => socket.once("close", () => resolve(received)));
}

/** The sign-in link the server prints just after its listening line. */
async function signInLink(server: RunningServer): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const match = /Dashboard: (\S+)/.exec(server.stdout());
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no sign-in link in: ${server.stdout()}`);
}

async function stop(server: RunningServer): Promise<void> {
  server.child.kill("SIGTERM");
  await server.exited;
}

describe("phospho-server request budgets and files", { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "phospho-sec-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("cuts a client that sends its body one byte at a time at the request timeout", async () => {
    const server = await startServer(["--port", "0", "--db", join(dir, "slow.db")], {
      PHOSPHO_PROJECT_ID: "slow",
      PHOSPHO_API_KEY: KEY,
      PHOSPHO_REQUEST_TIMEOUT_MS: "1500",
      PHOSPHO_HEADERS_TIMEOUT_MS: "1000",
    });
    try {
      const socket = await open(server.origin, "127.0.0.2");
      const done = closed(socket);
      socket.write(
        `POST /v2/log/slow HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\n` +
          "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{",
      );
      let stillOpen = true;
      void done.then(() => (stillOpen = false));
      // One byte every 200 ms for up to 20 s: never idle, never finished.
      for (let i = 0; i < 100 && stillOpen; i++) {
        socket.write(" ");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(stillOpen).toBe(false);
      expect(await done).toMatch(/^HTTP\/1\.1 408/);
      expect((await fetch(`${server.origin}/v2/health`)).status).toBe(200);
    } finally {
      await stop(server);
    }
  });

  it("caps connections per client address and in total, and frees them when they close", async () => {
    const server = await startServer(["--port", "0", "--db", join(dir, "caps.db")], {
      PHOSPHO_PROJECT_ID: "caps",
      PHOSPHO_API_KEY: KEY,
      PHOSPHO_MAX_CONNECTIONS_PER_ADDRESS: "4",
      PHOSPHO_MAX_CONNECTIONS: "7",
    });
    const held: Socket[] = [];
    try {
      for (let i = 0; i < 4; i++) held.push(await open(server.origin, "127.0.0.2"));
      // Fifth from the same address: closed before any byte is read.
      const fifth = await open(server.origin, "127.0.0.2");
      fifth.write("GET /v2/health HTTP/1.1\r\nHost: x\r\n\r\n");
      expect(await closed(fifth)).toBe("");
      // Another address still gets in, up to the total.
      for (let i = 0; i < 3; i++) held.push(await open(server.origin, "127.0.0.3"));
      const overTotal = await open(server.origin, "127.0.0.4");
      overTotal.write("GET /v2/health HTTP/1.1\r\nHost: x\r\n\r\n");
      expect(await closed(overTotal)).toBe("");
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await fetch(`${server.origin}/v2/health`)).status).toBe(200);
    } finally {
      for (const socket of held) socket.destroy();
      await stop(server);
    }
  });

  it("creates the data folder 0700 and the database files 0600", async () => {
    const folder = join(dir, "private", "data");
    const db = join(folder, "phospho.db");
    const server = await startServer(["--port", "0", "--db", db], {
      PHOSPHO_PROJECT_ID: "m",
      PHOSPHO_API_KEY: KEY,
    });
    try {
      const logged = await fetch(`${server.origin}/v2/log/m`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ batched_log_events: [{ input: "x" }] }),
      });
      expect(logged.status).toBe(200);
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      for (const file of [db, `${db}-wal`, `${db}-shm`])
        expect(statSync(file).mode & 0o777, file).toBe(0o600);
    } finally {
      await stop(server);
    }
  });

  it("refuses a PHOSPHO_API_KEY shorter than 32 characters", async () => {
    const result = await runCli(["--port", "0", "--db", join(dir, "short.db")], {
      PHOSPHO_PROJECT_ID: "p",
      PHOSPHO_API_KEY: "a",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PHOSPHO_API_KEY is 1 characters: a key needs at least 32/);
  });

  it("refuses a bad budget value, naming the variable", async () => {
    const result = await runCli(["--port", "0", "--db", join(dir, "bad.db")], {
      PHOSPHO_MAX_CONNECTIONS: "lots",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PHOSPHO_MAX_CONNECTIONS must be a non-negative integer, got "lots"/);
  });

  it("invalidates the sign-in links of an earlier start", async () => {
    const db = join(dir, "links.db");
    const first = await startServer(["--port", "0", "--db", db]);
    const oldLink = await signInLink(first);
    await stop(first);
    const second = await startServer(["--port", "0", "--db", db]);
    try {
      const oldPath = new URL(oldLink).pathname + new URL(oldLink).search;
      const old = await fetch(second.origin + oldPath, { redirect: "manual" });
      expect(old.headers.get("location")).toBe("/signin?error=invalid_token");
      const fresh = await signInLink(second);
      const ok = await fetch(fresh, { redirect: "manual" });
      expect(ok.headers.get("location")).toBe("/");
    } finally {
      await stop(second);
    }
  });

  it("lists and revokes keys from the CLI", async () => {
    const db = join(dir, "keys.db");
    const created = await runCli(["projects", "create", "cli keys", "--db", db]);
    const projectId = /^PHOSPHO_PROJECT_ID=(\S+)$/m.exec(created.stdout)![1]!;
    const key = /^PHOSPHO_API_KEY=(\S+)$/m.exec(created.stdout)![1]!;
    const list = await runCli(["keys", "list", "--project", projectId, "--db", db]);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(key);
    const [, row] = list.stdout.trim().split("\n");
    const [keyId, prefix] = row!.split("\t");
    expect(key.startsWith(prefix!)).toBe(true);
    const revoked = await runCli(["keys", "revoke", prefix!, "--db", db]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`revoked ${keyId}`);
    const after = await runCli(["keys", "list", "--project", projectId, "--db", db]);
    expect(after.stdout.trim().split("\n")[1]!.split("\t")[5]).toMatch(/^\d{4}-/);
    const unknown = await runCli(["keys", "revoke", "key_nope", "--db", db]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no key has the id or prefix "key_nope"/);
  });
});
