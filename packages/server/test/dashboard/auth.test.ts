/** Sign-in (one-time link, API key), the session cookie, and the project scoping of every /api route. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueSignInToken } from "../../src/dashboard/index.js";
import { createSqliteDatabase } from "../helpers/postgres.js";
import { cookieOf, startHarness, type Harness } from "./harness.js";

describe("dashboard sign-in and sessions", () => {
  let h: Harness;
  let otherProject: string;
  let otherKey: string;

  beforeAll(async () => {
    h = await startHarness({ name: "sqlite", create: async () => createSqliteDatabase() });
    const other = await h.store.createProject("Other", "proj_other");
    otherProject = other.id;
    otherKey = (await h.store.createApiKey(other.id)).key;
    await h.log([{ task_id: "mine", input: "in", output: "out" }]);
    await h.log(
      [{ task_id: "theirs", input: "secret input", output: "secret output" }],
      otherProject,
      otherKey,
    );
  });
  afterAll(() => h.close());

  it("answers 401 JSON to /api without a session", async () => {
    for (const path of ["/me", `/projects/${h.projectId}/tasks`, `/projects/${h.projectId}/overview`]) {
      const reply = await h.get<{ detail: string }>(path, "");
      expect(reply.status).toBe(401);
      expect(reply.body.detail).toMatch(/not signed in/);
    }
  });

  it("rejects a tampered or forged cookie", async () => {
    const [name, value] = h.cookie.split("=") as [string, string];
    const [body] = value.split(".");
    const forgedBody = Buffer.from(
      JSON.stringify({ projects: [], all: true, exp: Date.now() + 1e9 }),
    ).toString("base64url");
    for (const bad of [
      `${name}=${body}.AAAA`,
      `${name}=${forgedBody}.${value.split(".")[1]}`,
      `${name}=garbage`,
    ]) {
      expect((await h.get("/me", bad)).status).toBe(401);
    }
  });

  it("sets an HttpOnly, SameSite=Strict cookie from the one-time link, and the link works once", async () => {
    const token = await issueSignInToken(h.store);
    const first = await h.app.inject({ method: "GET", url: `/signin?token=${token}` });
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe("/");
    const setCookie = String(first.headers["set-cookie"]);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    const me = await h.get<{ all: boolean; projects: Array<{ id: string }> }>(
      "/me",
      cookieOf(first.headers["set-cookie"]),
    );
    expect(me.status).toBe(200);
    expect(me.body.projects.map((p) => p.id).sort()).toEqual([h.projectId, otherProject].sort());

    const second = await h.app.inject({ method: "GET", url: `/signin?token=${token}` });
    expect(second.statusCode).toBe(302);
    expect(second.headers.location).toBe("/signin?error=invalid_token");
    expect(second.headers["set-cookie"]).toBeUndefined();
  });

  it("refuses an unknown token and an expired one", async () => {
    const unknown = await h.app.inject({ method: "GET", url: "/signin?token=not-a-real-token" });
    expect(unknown.headers.location).toBe("/signin?error=invalid_token");
    const token = await issueSignInToken(h.store);
    await h.store.db
      .updateTable("dashboard_tokens")
      .set({ expires_at: Date.now() - 1 })
      .execute();
    const expired = await h.app.inject({ method: "GET", url: `/signin?token=${token}` });
    expect(expired.headers.location).toBe("/signin?error=invalid_token");
  });

  it("stores tokens hashed, never in plaintext", async () => {
    const token = await issueSignInToken(h.store);
    const rows = await h.store.db.selectFrom("dashboard_tokens").select("token_hash").execute();
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it("signs in with an API key, scoped to that key's project only (403 elsewhere)", async () => {
    const bad = await h.send<{ detail: string }>("POST", "/signin", { apiKey: "phk_wrong" }, "");
    expect(bad.status).toBe(401);
    const empty = await h.send<{ detail: string }>("POST", "/signin", {}, "");
    expect(empty.status).toBe(400);
    expect(empty.body.detail).toMatch(/apiKey/);

    const reply = await h.app.inject({ method: "POST", url: "/api/signin", payload: { apiKey: h.apiKey } });
    expect(reply.statusCode).toBe(200);
    const keyCookie = cookieOf(reply.headers["set-cookie"]);
    const me = await h.get<{ projects: Array<{ id: string }> }>("/me", keyCookie);
    expect(me.body.projects.map((p) => p.id)).toEqual([h.projectId]);

    const own = await h.get<{ tasks: Array<{ id: string }> }>(`/projects/${h.projectId}/tasks`, keyCookie);
    expect(own.status).toBe(200);
    expect(own.body.tasks.map((t) => t.id)).toEqual(["mine"]);

    const paths = [
      "/tasks",
      "/tasks/theirs",
      "/sessions",
      "/users",
      "/overview",
      "/export?format=csv",
      "/latest",
      "/ab?versions=v1",
    ];
    for (const path of paths) {
      const cross = await h.app.inject({
        method: "GET",
        url: `/api/projects/${otherProject}${path}`,
        headers: { cookie: keyCookie },
      });
      expect(cross.statusCode, path).toBe(403);
      expect(cross.body).not.toContain("secret");
    }
    const flag = await h.send(
      "POST",
      `/projects/${otherProject}/tasks/theirs/flag`,
      { flag: "failure" },
      keyCookie,
    );
    expect(flag.status).toBe(403);
    expect((await h.store.getTask(otherProject, "theirs"))?.flag).toBeNull();
  });

  it("adds a second project to the session when another key signs in, so the user can switch", async () => {
    const first = await h.app.inject({ method: "POST", url: "/api/signin", payload: { apiKey: h.apiKey } });
    const second = await h.app.inject({
      method: "POST",
      url: "/api/signin",
      payload: { apiKey: otherKey },
      headers: { cookie: cookieOf(first.headers["set-cookie"]) },
    });
    const both = cookieOf(second.headers["set-cookie"]);
    const me = await h.get<{ projects: Array<{ id: string }> }>("/me", both);
    expect(me.body.projects.map((p) => p.id).sort()).toEqual([h.projectId, otherProject].sort());
    expect((await h.get(`/projects/${otherProject}/tasks`, both)).status).toBe(200);
  });

  it("answers 404 for a project that does not exist, to a session that holds every project", async () => {
    expect((await h.get("/projects/nope/tasks")).status).toBe(404);
  });

  it("redirects pages to the sign-in page without a session and serves the UI with one", async () => {
    const anonymous = await h.app.inject({
      method: "GET",
      url: `/projects/${h.projectId}/tasks?flag=success`,
    });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe(
      `/signin?next=${encodeURIComponent(`/projects/${h.projectId}/tasks?flag=success`)}`,
    );
    const signinPage = await h.app.inject({ method: "GET", url: "/signin" });
    expect(signinPage.statusCode).toBe(200);
    expect(signinPage.body).toContain("phospho test UI");

    const page = await h.app.inject({
      method: "GET",
      url: `/projects/${h.projectId}/tasks/mine`,
      headers: { cookie: h.cookie },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("phospho test UI");
    expect(page.headers["content-security-policy"]).toMatch(/script-src 'self'/);

    const asset = await h.app.inject({ method: "GET", url: "/assets/app.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toContain("console.log");
    expect((await h.app.inject({ method: "GET", url: "/assets/missing.js" })).statusCode).toBe(404);
    expect((await h.app.inject({ method: "GET", url: "/../../etc/passwd" })).body).not.toContain("root:");
    const unknownApi = await h.app.inject({
      method: "GET",
      url: "/api/nothing-here",
      headers: { cookie: h.cookie },
    });
    expect(unknownApi.statusCode).toBe(404);
    expect(unknownApi.json()).toHaveProperty("detail");
  });

  it("keeps the cookie secret in the settings table, shared by every app over the same database", async () => {
    const rows = await h.store.db
      .selectFrom("settings")
      .selectAll()
      .where("key", "=", "dashboard_cookie_secret")
      .execute();
    expect(rows).toHaveLength(1);
    const { buildApp } = await import("../../src/app.js");
    const replica = await buildApp({ store: h.store, staticDir: h.staticDir });
    try {
      const reply = await replica.inject({ method: "GET", url: "/api/me", headers: { cookie: h.cookie } });
      expect(reply.statusCode).toBe(200);
    } finally {
      await replica.close();
    }
  });

  it("signs out by ending the session on the server and clearing the cookie (runs last: it ends h.cookie)", async () => {
    expect((await h.get("/me", h.cookie)).status).toBe(200);
    const reply = await h.app.inject({ method: "POST", url: "/api/signout", headers: { cookie: h.cookie } });
    expect(reply.statusCode).toBe(200);
    expect(String(reply.headers["set-cookie"])).toMatch(/phospho_session=;/);
    // A copy of the cookie kept elsewhere (another tab, a stolen copy) stops working too.
    expect((await h.get("/me", h.cookie)).status).toBe(401);
  });
});
