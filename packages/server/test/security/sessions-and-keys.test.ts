/**
 * Regression tests for properties the review found already held: API keys stored hashed and never echoed,
 * signed session cookies with an enforced expiry, and a key-opened session limited to its project on every
 * /api project route.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCookieSecret } from "../../src/dashboard/auth/secret.js";
import { encodeSession } from "../../src/dashboard/auth/session.js";
import { openServerSession } from "../../src/dashboard/auth/server-sessions.js";
import { createSqliteDatabase } from "../helpers/postgres.js";
import { cookieOf, startHarness, type Harness } from "../dashboard/harness.js";

describe("sessions and API keys", () => {
  let h: Harness;
  let otherProject: string;
  let otherKey: string;

  beforeAll(async () => {
    h = await startHarness({ name: "sqlite", create: async () => createSqliteDatabase() });
    const other = await h.store.createProject("Other", "proj_other");
    otherProject = other.id;
    otherKey = (await h.store.createApiKey(other.id)).key;
    await h.log([{ task_id: "mine", input: "in", output: "out", session_id: "s_mine", user_id: "u_mine" }]);
    await h.log(
      [{ task_id: "theirs", input: "secret in", output: "secret out", session_id: "s_b", user_id: "u_b" }],
      otherProject,
      otherKey,
    );
  });
  afterAll(() => h.close());

  it("stores only a hash of each key and never echoes a key in an error", async () => {
    const rows = await h.store.db.selectFrom("api_keys").selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toContain(h.apiKey);
      expect(JSON.stringify(row)).not.toContain(otherKey);
    }
    const guess = `${h.apiKey.slice(0, -2)}xx`;
    const v2 = await h.app.inject({
      method: "GET",
      url: "/v2/me",
      headers: { authorization: `Bearer ${guess}` },
    });
    expect(v2.statusCode).toBe(401);
    expect(v2.body).not.toContain(guess);
    const api = await h.send("POST", "/signin", { apiKey: guess }, "");
    expect(api.status).toBe(401);
    expect(JSON.stringify(api.body)).not.toContain(guess);
    const me = await h.app.inject({
      method: "GET",
      url: "/v2/me",
      headers: { authorization: `Bearer ${h.apiKey}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.body).not.toContain(h.apiKey);
  });

  it("refuses a correctly signed cookie once it has expired", async () => {
    const secret = await loadCookieSecret(h.store);
    const sid = await openServerSession(h.store, Date.now() + 60_000, null);
    const live = encodeSession(secret, { sid, projects: [], all: true, exp: Date.now() + 60_000 });
    expect((await h.get("/me", `phospho_session=${live}`)).status).toBe(200);
    // Signed with the real secret, but naming no server-side session: refused.
    const unknown = encodeSession(secret, {
      sid: "made-up",
      projects: [],
      all: true,
      exp: Date.now() + 60_000,
    });
    expect((await h.get("/me", `phospho_session=${unknown}`)).status).toBe(401);
    const expired = encodeSession(secret, { sid, projects: [], all: true, exp: Date.now() - 1 });
    expect((await h.get("/me", `phospho_session=${expired}`)).status).toBe(401);
    const page = await h.app.inject({
      method: "GET",
      url: "/projects/x/overview",
      headers: { cookie: `phospho_session=${expired}` },
    });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toMatch(/^\/signin\?next=/);
  });

  it("keeps a key-opened session out of another project on every /api project route", async () => {
    const reply = await h.app.inject({
      method: "POST",
      url: "/api/signin",
      payload: { apiKey: h.apiKey },
    });
    expect(reply.statusCode).toBe(200);
    const cookie = cookieOf(reply.headers["set-cookie"]);
    const reads = [
      "/tasks",
      "/tasks/theirs",
      "/sessions",
      "/sessions/s_b",
      "/users",
      "/users/u_b",
      "/overview",
      "/ab?versions=v1",
      "/export?format=csv",
      "/export?format=jsonl",
      "/latest",
      "/suggestions/metadata-keys",
      "/suggestions/metadata-values?key=k",
      "/suggestions/fields",
    ];
    for (const path of reads) {
      const cross = await h.get<{ detail: string }>(`/projects/${otherProject}${path}`, cookie);
      expect(cross.status, path).toBe(403);
      expect(JSON.stringify(cross.body), path).not.toContain("secret in");
      const own = await h.app.inject({
        method: "GET",
        url: `/api/projects/${h.projectId}${path.replace("theirs", "mine").replace("s_b", "s_mine").replace("u_b", "u_mine")}`,
        headers: { cookie },
      });
      expect(own.statusCode, path).toBe(200);
    }
    const notes = await h.send(
      "PUT",
      `/projects/${otherProject}/tasks/theirs/notes`,
      { notes: "pwned" },
      cookie,
    );
    expect(notes.status).toBe(403);
    const flag = await h.send(
      "POST",
      `/projects/${otherProject}/tasks/theirs/flag`,
      { flag: "failure" },
      cookie,
    );
    expect(flag.status).toBe(403);
    const task = await h.store.getTask(otherProject, "theirs");
    expect(task?.notes).toBeNull();
    expect(task?.flag).toBeNull();
  });
});
