/**
 * Issue 13, item 9, on both engines: keys listed and revoked (dashboard API and store), a revoked key stops on /v2
 * at once and ends every dashboard session it opened, sign-out ends a session for every copy of its cookie, and a
 * session can create and rename projects.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";
import { storeEngines } from "../helpers/postgres.js";

const cookieOf = (header: string | string[] | undefined) =>
  String(Array.isArray(header) ? header[0] : header).split(";")[0]!;

describe.each(await storeEngines())("key revocation and server-side sessions on $name", (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({}, await engine.create());
  });
  afterAll(() => t.close());

  const api = (method: "GET" | "POST" | "PATCH", url: string, cookie: string, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  async function signIn(key: string, cookie = ""): Promise<string> {
    const res = await api("POST", "/api/signin", cookie, { apiKey: key });
    expect(res.statusCode).toBe(200);
    return cookieOf(res.headers["set-cookie"]);
  }

  it("lists keys by prefix only, creates one shown once, and revokes it everywhere at once", async () => {
    const cookie = await signIn(t.a.key);
    const created = await api("POST", `/api/projects/${t.a.id}/keys`, cookie, { name: "ci" });
    expect(created.statusCode).toBe(200);
    const { key, record } = created.json();
    expect(key).toMatch(/^phk_/);
    expect(record).toMatchObject({ name: "ci", revoked_at: null, last_used_at: null });
    expect(key.startsWith(record.prefix)).toBe(true);

    const list = await api("GET", `/api/projects/${t.a.id}/keys`, cookie);
    expect(list.statusCode).toBe(200);
    expect(list.json().keys.map((k: { id: string }) => k.id)).toContain(record.id);
    expect(list.body).not.toContain(key);
    expect(Object.keys(list.json().keys[0]).sort()).toEqual(
      ["created_at", "id", "last_used_at", "name", "prefix", "revoked_at"].sort(),
    );

    // A session opened with the new key, and its copy.
    const opened = await signIn(key);
    expect((await api("GET", "/api/me", opened)).statusCode).toBe(200);
    expect((await t.get("/v2/me", key)).statusCode).toBe(200);

    const revoked = await api("POST", `/api/projects/${t.a.id}/keys/${record.id}/revoke`, cookie);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().record.revoked_at).toEqual(expect.any(Number));
    expect((await t.get("/v2/me", key)).statusCode).toBe(401);
    expect(
      (await t.post(`/v2/log/${t.a.id}`, { batched_log_events: [{ input: "x" }] }, key)).statusCode,
    ).toBe(401);
    expect((await api("GET", "/api/me", opened)).statusCode).toBe(401);
    // The session opened with another key lives on.
    expect((await api("GET", "/api/me", cookie)).statusCode).toBe(200);
  });

  it("ends a session that gained a project through a key when that key is revoked", async () => {
    const extra = await t.store.createApiKey(t.b.id, { name: "second" });
    const cookie = await signIn(extra.key, await signIn(t.a.key));
    expect((await api("GET", "/api/me", cookie)).json().projects).toHaveLength(2);
    expect(await t.store.revokeApiKey(extra.record.id)).toMatchObject({ id: extra.record.id });
    expect((await api("GET", "/api/me", cookie)).statusCode).toBe(401);
  });

  it("refuses to revoke another project's key through this project (404)", async () => {
    const cookie = await signIn(t.a.key);
    const other = (await t.store.listApiKeys(t.b.id))[0]!;
    const res = await api("POST", `/api/projects/${t.a.id}/keys/${other.id}/revoke`, cookie);
    expect(res.statusCode).toBe(404);
    expect((await t.store.listApiKeys(t.b.id))[0]!.revoked_at).toBeNull();
  });

  it("signs out on the server: every copy of the cookie stops working", async () => {
    const cookie = await signIn(t.a.key);
    expect((await api("POST", "/api/signout", cookie, {})).statusCode).toBe(200);
    expect((await api("GET", "/api/me", cookie)).statusCode).toBe(401);
    expect((await api("GET", `/api/projects/${t.a.id}/keys`, cookie)).statusCode).toBe(401);
  });

  it("creates a project (with its first key, added to the session) and renames it", async () => {
    const cookie = await signIn(t.a.key);
    const res = await api("POST", "/api/projects", cookie, { name: "new one" });
    expect(res.statusCode).toBe(200);
    const { project, key } = res.json();
    expect(project).toMatchObject({
      name: "new one",
      id: expect.any(String),
      created_at: expect.any(Number),
    });
    expect(key).toMatch(/^phk_/);
    const updated = cookieOf(res.headers["set-cookie"]);
    const me = (await api("GET", "/api/me", updated)).json();
    expect(me.projects.map((p: { id: string }) => p.id)).toContain(project.id);
    const renamed = await api("PATCH", `/api/projects/${project.id}`, updated, { name: "renamed" });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().project).toMatchObject({ id: project.id, name: "renamed" });
    const bad = await api("PATCH", `/api/projects/${project.id}`, updated, { name: "" });
    expect(bad.statusCode).toBe(400);
    // The new key works on /v2.
    expect((await t.get("/v2/me", key)).json().project_id).toBe(project.id);
  });

  it("revokes by display prefix; a prefix under 6 characters matches nothing", async () => {
    const { key, record } = await t.store.createApiKey(t.a.id, { name: "by prefix" });
    expect((await t.store.revokeApiKey(record.key_prefix))?.id).toBe(record.id);
    expect((await t.get("/v2/me", key)).statusCode).toBe(401);
    await expect(t.store.revokeApiKey("phk_")).resolves.toBeNull(); // under 6 characters: never a prefix match
  });
});
