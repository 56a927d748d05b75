/**
 * A real collector for dashboard API tests: a store on a fresh database (SQLite file or PostgreSQL database),
 * `buildApp` with a tiny built-UI folder, a project with a key, data logged through `POST /v2/log`, and a
 * signed-in cookie. Requests go through `app.inject` unless a test needs a socket.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp, type BuildAppOptions } from "../../src/app.js";
import { issueSignInToken } from "../../src/dashboard/index.js";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import type { StoreEngine, TestDatabase } from "../helpers/postgres.js";

export interface Harness {
  app: FastifyInstance;
  store: Store;
  projectId: string;
  apiKey: string;
  /** `phospho_session=…` of a session opened with the one-time link (every project). */
  cookie: string;
  staticDir: string;
  log(events: Array<Record<string, unknown>>, projectId?: string, apiKey?: string): Promise<void>;
  /** GET /api… with the session cookie; returns status and parsed JSON. */
  get<T = unknown>(path: string, cookie?: string): Promise<{ status: number; body: T }>;
  send<T = unknown>(
    method: "POST" | "PUT",
    path: string,
    payload: unknown,
    cookie?: string,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The `name=value` part of a Set-Cookie header. */
export function cookieOf(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!header) throw new Error("no Set-Cookie header in the reply");
  return header.split(";")[0] ?? "";
}

export async function signInWithToken(app: FastifyInstance, store: Store): Promise<string> {
  const token = await issueSignInToken(store);
  const reply = await app.inject({ method: "GET", url: `/signin?token=${token}` });
  if (reply.statusCode !== 302) throw new Error(`sign-in link answered ${reply.statusCode}`);
  return cookieOf(reply.headers["set-cookie"]);
}

/** `buildApp` options a test sets beyond the store and the UI folder. */
export type HarnessAppOptions = Omit<BuildAppOptions, "store" | "staticDir">;

export async function startHarness(
  engine: StoreEngine,
  appOptions: HarnessAppOptions = {},
): Promise<Harness> {
  const database: TestDatabase = await engine.create();
  const store = await openStore(database.url, { warn: () => {} });
  const staticDir = mkdtempSync(join(tmpdir(), "phospho-ui-"));
  writeFileSync(
    join(staticDir, "index.html"),
    "<!doctype html><title>phospho test UI</title><div id=root></div>",
  );
  mkdirSync(join(staticDir, "assets"));
  writeFileSync(join(staticDir, "assets", "app.js"), "console.log('ui')");
  const app = await buildApp({ ...appOptions, store, staticDir });
  const project = await store.createProject("Test project", "proj_test");
  const { key } = await store.createApiKey(project.id, { name: "test" });
  const cookie = await signInWithToken(app, store);

  const harness: Harness = {
    app,
    store,
    projectId: project.id,
    apiKey: key,
    cookie,
    staticDir,
    async log(events, projectId = project.id, apiKey = key) {
      const reply = await app.inject({
        method: "POST",
        url: `/v2/log/${projectId}`,
        headers: { authorization: `Bearer ${apiKey}` },
        payload: { batched_log_events: events },
      });
      const body = reply.json<{ logged_events: Array<Record<string, unknown>> }>();
      const failed = body.logged_events?.find((e) => "error_in_log" in e);
      if (reply.statusCode !== 200 || failed)
        throw new Error(`log failed: ${reply.statusCode} ${reply.body}`);
    },
    async get(path, withCookie = cookie) {
      const reply = await app.inject({
        method: "GET",
        url: `/api${path}`,
        headers: withCookie ? { cookie: withCookie } : {},
      });
      return { status: reply.statusCode, body: reply.json() };
    },
    async send(method, path, payload, withCookie = cookie) {
      const reply = await app.inject({
        method,
        url: `/api${path}`,
        payload: payload as object,
        headers: withCookie ? { cookie: withCookie } : {},
      });
      return { status: reply.statusCode, body: reply.json() };
    },
    async close() {
      await app.close();
      await store.close();
      await database.drop();
      rmSync(staticDir, { recursive: true, force: true });
    },
  };
  return harness;
}

const DAY = 86_400;
/** 2026-11-01T00:00:00Z in seconds: a fixed past base so date filters are exact. */
export const BASE_S = 1_793_491_200;

/**
 * Nine known tasks over three days, two sessions, two users, two models, two versions. The numbers the tests
 * check (per-day counts, rates, percentiles) are worked out from this table by hand.
 */
export function knownTasks(): Array<Record<string, unknown>> {
  const rows: Array<
    [
      string,
      number,
      string,
      string | null,
      string | null,
      string,
      string,
      "success" | "failure" | null,
      number,
      number,
    ]
  > = [
    // id, day, input, session, user, model, version, flag, tokens, latency
    ["t1", 0, "How do I bake bread?", "s1", "alice", "gpt-4o", "v1", "success", 100, 100],
    ["t2", 0, "And sourdough?", "s1", "alice", "gpt-4o", "v1", "failure", 200, 200],
    ["t3", 0, "What is 100% rye?", "s1", "alice", "gpt-4o", "v1", null, 300, 300],
    ["t4", 1, "Tell me about Paris", "s2", "bob", "claude", "v2", "success", 400, 400],
    ["t5", 1, "And Lyon?", "s2", "bob", "claude", "v2", "success", 500, 500],
    ["t6", 1, 'Quote: "hello" world', null, "bob", "claude", "v2", null, 600, 600],
    ["t7", 2, "Weather in Oslo", null, null, "gpt-4o", "v1", "failure", 700, 700],
    ["t8", 2, "under_score text", null, null, "gpt-4o", "v2", null, 800, 800],
    ["t9", 2, "ZEBRA crossing", null, "carol", "claude", "v1", "success", 900, 900],
  ];
  return rows.map(([id, day, input, session, user, model, version, flag, tokens, latency], i) => ({
    task_id: id,
    input,
    output: `Answer to ${input}`,
    created_at: BASE_S + day * DAY + i * 60,
    session_id: session,
    ...(user && { user_id: user }),
    model,
    version_id: version,
    ...(flag && { flag }),
    total_tokens: tokens,
    prompt_tokens: tokens / 2,
    completion_tokens: tokens / 2,
    latency_ms: latency,
    environment: i % 3 === 0 ? "staging" : "production",
    metadata: { plan: i % 2 === 0 ? "pro" : "free", region: "eu", beta: i === 8 },
  }));
}
