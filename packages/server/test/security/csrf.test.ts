/** State-changing /api routes cannot be driven from another site or another port of the same host. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteDatabase } from "../helpers/postgres.js";
import { startHarness, type Harness } from "../dashboard/harness.js";

describe("dashboard cross-site requests", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ name: "sqlite", create: async () => createSqliteDatabase() });
    await h.log([{ task_id: "t1", input: "hello", output: "world" }]);
  });
  afterAll(() => h.close());

  describe("cross-site requests to state-changing /api routes", () => {
    const flagPath = () => `/api/projects/${h.projectId}/tasks/t1/flag`;

    async function flagOf(): Promise<string | null> {
      const reply = await h.get<{ task: { flag: string | null } }>(`/projects/${h.projectId}/tasks/t1`);
      expect(reply.status).toBe(200);
      return reply.body.task.flag;
    }

    it("refuses a text/plain POST (a form or no-cors fetch needs no preflight) and changes nothing", async () => {
      const before = await flagOf();
      const reply = await h.app.inject({
        method: "POST",
        url: flagPath(),
        headers: { cookie: h.cookie, "content-type": "text/plain" },
        payload: JSON.stringify({ flag: "failure" }),
      });
      expect(reply.statusCode).toBe(415);
      expect(reply.json<{ detail: string }>().detail).toMatch(/application\/json/);
      expect(await flagOf()).toBe(before);
    });

    it("refuses a form-encoded sign-in (login CSRF)", async () => {
      const reply = await h.app.inject({
        method: "POST",
        url: "/api/signin",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: `apiKey=${encodeURIComponent(h.apiKey)}`,
      });
      expect(reply.statusCode).toBe(415);
      expect(reply.headers["set-cookie"]).toBeUndefined();
    });

    it("refuses a POST whose Origin is another site or another port, and changes nothing", async () => {
      const before = await flagOf();
      for (const origin of ["https://evil.example", "http://localhost:3000", "null"]) {
        const reply = await h.app.inject({
          method: "POST",
          url: flagPath(),
          headers: { cookie: h.cookie, origin, host: "localhost:7878", "content-type": "application/json" },
          payload: JSON.stringify({ flag: "failure" }),
        });
        expect(reply.statusCode, origin).toBe(403);
        expect(reply.json<{ detail: string }>().detail).toMatch(/origin/i);
      }
      const signout = await h.app.inject({
        method: "POST",
        url: "/api/signout",
        headers: { cookie: h.cookie, origin: "https://evil.example", host: "localhost:7878" },
      });
      expect(signout.statusCode).toBe(403);
      expect(await flagOf()).toBe(before);
    });

    it("refuses a request marked cross-site by Sec-Fetch-Site even without Origin", async () => {
      const reply = await h.app.inject({
        method: "PUT",
        url: `/api/projects/${h.projectId}/tasks/t1/notes`,
        headers: { cookie: h.cookie, "sec-fetch-site": "cross-site", "content-type": "application/json" },
        payload: JSON.stringify({ notes: "pwned" }),
      });
      expect(reply.statusCode).toBe(403);
    });

    it("accepts the dashboard's own JSON requests from its own origin", async () => {
      const reply = await h.app.inject({
        method: "POST",
        url: flagPath(),
        headers: {
          cookie: h.cookie,
          origin: "http://localhost:7878",
          host: "localhost:7878",
          "sec-fetch-site": "same-origin",
          "content-type": "application/json",
        },
        payload: JSON.stringify({ flag: "success" }),
      });
      expect(reply.statusCode).toBe(200);
      expect(await flagOf()).toBe("success");
      // Behind a TLS-terminating proxy the browser's Origin says https while the collector sees http.
      const proxied = await h.app.inject({
        method: "POST",
        url: flagPath(),
        headers: {
          cookie: h.cookie,
          origin: "https://phospho.example.com",
          host: "phospho.example.com",
          "content-type": "application/json; charset=utf-8",
        },
        payload: JSON.stringify({ flag: "failure" }),
      });
      expect(proxied.statusCode).toBe(200);
      expect(await flagOf()).toBe("failure");
      const signout = await h.app.inject({
        method: "POST",
        url: "/api/signout",
        headers: { origin: "http://localhost:7878", host: "localhost:7878" },
      });
      expect(signout.statusCode).toBe(200);
    });
  });
});
