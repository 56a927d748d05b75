import { request as httpRequest } from "node:http";
import { createServer, type Server } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, postgresAvailable } from "./helpers/postgres.js";
import { ensureBuilt, runCli, startServer } from "./helpers/server-process.js";

const pgAvailable = await postgresAvailable();
const LONG_KEY = "phk_cli_test_key_of_at_least_32_characters";

describe("phospho-server CLI", { timeout: 90_000 }, () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "phospho-cli-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("creates a project and key on first start, prints them once, serves, and stops with 0 on SIGTERM", async () => {
    const db = join(dir, "nested", "first.db");
    const server = await startServer(["--port", "0", "--db", db]);
    const out = server.stdout();
    const baseUrl = /^PHOSPHO_BASE_URL=(.+)$/m.exec(out)?.[1];
    const projectId = /^PHOSPHO_PROJECT_ID=(.+)$/m.exec(out)?.[1];
    const apiKey = /^PHOSPHO_API_KEY=(phk_\S+)$/m.exec(out)?.[1];
    expect(baseUrl).toBe(`${server.origin}/v2`);
    expect(projectId).toBeTruthy();
    expect(apiKey).toBeTruthy();
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    expect(await (await fetch(`${server.origin}/health`)).json()).toEqual({
      status: "ok",
      search: { pending: 0, lag_ms: 0 },
    });
    const me = await fetch(`${baseUrl}/me`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(((await me.json()) as { project_id: string }).project_id).toBe(projectId);

    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });

    const again = await startServer(["--port", "0", "--db", db]);
    expect(again.stdout()).not.toContain("PHOSPHO_API_KEY=");
    again.child.kill("SIGINT");
    expect((await again.exited).code).toBe(0);
  });

  it("finishes a request in flight when stopped, then exits 0", async () => {
    const server = await startServer(["--port", "0", "--db", join(dir, "inflight.db")], {
      PHOSPHO_PROJECT_ID: "p",
      PHOSPHO_API_KEY: LONG_KEY,
    });
    const body = JSON.stringify({ batched_log_events: [{ task_id: "in-flight", input: "sent slowly" }] });
    const url = new URL(`${server.origin}/v2/log/p`);
    const response = new Promise<{ status: number; body: string; connection: string | undefined }>(
      (done, fail) => {
        const request = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            headers: {
              authorization: `Bearer ${LONG_KEY}`,
              "content-type": "application/json",
              "content-length": Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => (text += chunk.toString()));
            res.on("end", () =>
              done({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection }),
            );
          },
        );
        request.on("error", fail);
        request.write(body.slice(0, 10));
        // The rest of the body only once the server has started stopping.
        const poll = setInterval(() => {
          if (server.stdout().includes("stopping")) {
            clearInterval(poll);
            request.end(body.slice(10));
          }
        }, 10);
      },
    );
    // Let the request reach the server before the signal.
    await new Promise((done) => setTimeout(done, 200));
    server.child.kill("SIGTERM");
    const reply = await response;
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).logged_events[0].task_id).toBe("in-flight");
    // A keep-alive client must not hold the shutdown open.
    expect(reply.connection).toBe("close");
    expect((await server.exited).code).toBe(0);
  });

  it("ensures PHOSPHO_PROJECT_ID and PHOSPHO_API_KEY when both are set", async () => {
    const env = {
      PHOSPHO_PROJECT_ID: "my-project",
      PHOSPHO_API_KEY: "my-secret-key-of-at-least-32-characters",
      PHOSPHO_DATABASE_URL: join(dir, "env.db"),
    };
    for (let start = 0; start < 2; start++) {
      const server = await startServer(["--port", "0"], env);
      expect(server.stdout()).not.toContain("PHOSPHO_API_KEY=");
      const me = await fetch(`${server.origin}/v2/me`, {
        headers: { authorization: "Bearer my-secret-key-of-at-least-32-characters" },
      });
      expect(((await me.json()) as { project_id: string }).project_id).toBe("my-project");
      server.child.kill("SIGTERM");
      expect((await server.exited).code).toBe(0);
    }
  });

  it.runIf(pgAvailable)(
    "starts two replicas at once on one empty PostgreSQL: one first start, both serve",
    async () => {
      const database = await createPostgresDatabase();
      try {
        const [one, two] = await Promise.all([
          startServer(["--port", "0", "--db", database.url]),
          startServer(["--port", "0", "--db", database.url]),
        ]);
        const printed = [one, two].filter((server) => server.stdout().includes("PHOSPHO_API_KEY="));
        expect(printed).toHaveLength(1);
        const apiKey = /^PHOSPHO_API_KEY=(\S+)$/m.exec(printed[0]!.stdout())?.[1];
        for (const server of [one, two]) {
          const me = await fetch(`${server.origin}/v2/me`, {
            headers: { authorization: `Bearer ${apiKey}` },
          });
          expect(me.status).toBe(200);
        }
        for (const server of [one, two]) server.child.kill("SIGTERM");
        expect((await one.exited).code).toBe(0);
        expect((await two.exited).code).toBe(0);

        const env = {
          PHOSPHO_PROJECT_ID: "replicated",
          PHOSPHO_API_KEY: "replicated-key-of-at-least-32-characters",
        };
        const both = await Promise.all([
          startServer(["--port", "0", "--db", database.url], env),
          startServer(["--port", "0", "--db", database.url], env),
        ]);
        for (const server of both) server.child.kill("SIGTERM");
        for (const server of both) expect((await server.exited).code).toBe(0);
      } finally {
        await database.drop();
      }
    },
  );

  it("reads PORT and HOST from the environment", async () => {
    const server = await startServer(["--db", join(dir, "envport.db")], { PORT: "0", HOST: "127.0.0.1" });
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
  });

  it("fails with one line and a non-zero exit when the port is in use", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(0, "127.0.0.1", done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runCli(["--port", String(port), "--db", join(dir, "busy.db")]);
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim().split("\n")).toEqual([
        `phospho-server: port ${port} on 127.0.0.1 is already in use`,
      ]);
    } finally {
      blocker.close();
    }
  });

  it("fails with one line and a non-zero exit when the store cannot open", async () => {
    const notADir = join(dir, "file");
    writeFileSync(notADir, "x");
    const result = await runCli(["--port", "0", "--db", join(notADir, "sub", "x.db")]);
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^phospho-server: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);

    const badPort = await runCli(["--port", "seventy"]);
    expect(badPort.code).not.toBe(0);
    expect(badPort.stderr.trim()).toBe(
      'phospho-server: --port must be an integer between 0 and 65535, got "seventy"',
    );
  });

  it("manages projects and keys", async () => {
    const db = join(dir, "manage.db");
    const created = await runCli(["projects", "create", "My", "App", "--db", db]);
    expect(created.code).toBe(0);
    const projectId = /^PHOSPHO_PROJECT_ID=(\S+)$/m.exec(created.stdout)?.[1];
    expect(projectId).toBeTruthy();
    expect(created.stdout).toMatch(/^PHOSPHO_API_KEY=phk_\S+$/m);

    const list = await runCli(["projects", "list", "--db", db]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${projectId}\tMy App\t`);

    const key = await runCli(["keys", "create", "--project", projectId!, "--db", db]);
    expect(key.code).toBe(0);
    const apiKey = /^PHOSPHO_API_KEY=(phk_\S+)$/m.exec(key.stdout)?.[1];
    expect(apiKey).toBeTruthy();

    // The new key works against a server on the same store.
    const server = await startServer(["--port", "0", "--db", db]);
    expect(server.stdout()).not.toContain("PHOSPHO_API_KEY=");
    const me = await fetch(`${server.origin}/v2/me`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(await me.json()).toMatchObject({ project_id: projectId, project_name: "My App" });
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);

    const missing = await runCli(["keys", "create", "--project", "nope", "--db", db]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toBe("phospho-server: project nope does not exist");
    const unknown = await runCli(["frobnicate", "--db", db]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });
});
