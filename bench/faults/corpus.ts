/**
 * At least 50 malformed requests (bench/faults/corpus/*.json) sent straight to a collector: no reply may be a
 * 5xx, every error reply must carry a `detail` sentence, every rejected event an `error_in_log` sentence, the
 * good events of each batch must be stored, and the collector must still be up at the end.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startCollector } from "../lib/collector.js";
import { rawRequest } from "../lib/http.js";
import { ensureProject, storedTasks } from "../lib/store.js";
import type { FaultContext, FaultResult } from "./types.js";

const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), "corpus");
const OTHER_PROJECT = "bench_other_project";
const OTHER_KEY = "phk_bench_other_0123456789abcdef012345678";

interface CorpusCase {
  description: string;
  request: {
    method?: string;
    path?: string;
    auth?: "valid" | "none" | "basic" | "empty" | "unknown" | "other";
    contentType?: string | null;
    body?: string;
    bodyBase64?: string;
    json?: unknown;
    generate?: { kind: string; [k: string]: unknown };
  };
  expectStored?: string[];
  expectStatus?: number[];
}

function goodPair(name: string) {
  return [0, 1].map((i) => ({
    task_id: `corpus_${name}_good_${i}`,
    input: `good event ${i} of ${name}`,
    output: "stored",
  }));
}

/** Bodies too large or too deep to keep as files are described in the file and built here. */
function generated(g: NonNullable<CorpusCase["request"]["generate"]>): { body: Buffer; ids: string[] } {
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const name = String(g.case ?? "");
  const [a, b] = goodPair(name);
  switch (g.kind) {
    case "deep-array": {
      const depth = Number(g.depth);
      return { body: Buffer.from("[".repeat(depth) + "]".repeat(depth)), ids: [] };
    }
    case "huge-body": {
      const text = "x".repeat(Number(g.megabytes) * 2 ** 20);
      return { body: json({ batched_log_events: [{ input: text }] }), ids: [] };
    }
    case "many-events": {
      const ids = Array.from({ length: Number(g.count) }, (_, i) => `${String(g.prefix)}_${i}`);
      return {
        body: json({ batched_log_events: ids.map((task_id, i) => ({ task_id, input: `event ${i}` })) }),
        ids,
      };
    }
    case "huge-event":
      return {
        body: json({
          batched_log_events: [a, { input: "q", output: "y".repeat(Number(g.megabytes) * 2 ** 20) }, b],
        }),
        ids: [],
      };
    case "deep-metadata": {
      const depth = Number(g.depth);
      const nested = `${'{"k":'.repeat(depth)}1${"}".repeat(depth)}`;
      const text = `{"batched_log_events": [${JSON.stringify(a)}, {"input": "q", "metadata": ${nested}}, ${JSON.stringify(b)}]}`;
      return { body: Buffer.from(text), ids: [] };
    }
    case "wide-metadata": {
      const metadata = Object.fromEntries(Array.from({ length: Number(g.keys) }, (_, i) => [`key_${i}`, i]));
      return { body: json({ batched_log_events: [a, { input: "q", metadata }, b] }), ids: [] };
    }
    default:
      throw new Error(`corpus: unknown generate kind ${g.kind}`);
  }
}

function authHeader(mode: CorpusCase["request"]["auth"], key: string): Record<string, string> {
  switch (mode ?? "valid") {
    case "none":
      return {};
    case "basic":
      return { authorization: `Basic ${Buffer.from(`user:${key}`).toString("base64")}` };
    case "empty":
      return { authorization: "Bearer " };
    case "unknown":
      return { authorization: "Bearer phk_never_issued_0000000000000000000000" };
    case "other":
      return { authorization: `Bearer ${OTHER_KEY}` };
    default:
      return { authorization: `Bearer ${key}` };
  }
}

export function loadCorpus(): Array<[string, CorpusCase]> {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => [
      f.replace(/\.json$/, ""),
      JSON.parse(readFileSync(path.join(CORPUS, f), "utf8")) as CorpusCase,
    ]);
}

const isSentence = (v: unknown) => typeof v === "string" && v.trim().length >= 8;

export async function malformedCorpus(ctx: FaultContext): Promise<FaultResult> {
  const db = path.join(ctx.workDir, "corpus.db");
  const corpus = loadCorpus();
  const collector = await startCollector({ db });
  await ensureProject(db, OTHER_PROJECT, OTHER_KEY).catch(() => {});
  const problems: string[] = [];
  const expected = new Set<string>();
  const acknowledged = new Set<string>();
  const statusCounts: Record<number, number> = {};
  let rejected = 0;
  try {
    ctx.progress(`faults: ${corpus.length} malformed requests`);
    for (const [name, c] of corpus) {
      const r = c.request;
      const replace = (s: string) =>
        s.replaceAll("{project}", collector.projectId).replaceAll("{other_project}", OTHER_PROJECT);
      let body: Buffer | undefined;
      const ids = new Set(c.expectStored ?? []);
      if (r.generate) {
        const g = generated(r.generate);
        body = g.body;
        for (const id of g.ids) ids.add(id);
      } else if (r.bodyBase64 !== undefined) body = Buffer.from(r.bodyBase64, "base64");
      else if (r.body !== undefined) body = Buffer.from(replace(r.body));
      else if (r.json !== undefined) body = Buffer.from(replace(JSON.stringify(r.json)));
      for (const id of ids) expected.add(id);
      const method = r.method ?? "POST";
      const headers: Record<string, string> = { ...authHeader(r.auth, collector.apiKey) };
      const contentType = r.contentType === undefined ? "application/json" : r.contentType;
      if (contentType !== null && method !== "GET") headers["content-type"] = contentType;
      let status = 0;
      let text = "";
      try {
        const url = `${collector.origin}${replace(r.path ?? "/v2/log/{project}")}`;
        const sendBody = method === "GET" ? undefined : body;
        if (sendBody) headers["content-length"] = String(sendBody.length);
        const res = await rawRequest(url, { method, headers, ...(sendBody ? { body: sendBody } : {}) });
        status = res.status;
        text = res.text;
      } catch (error) {
        problems.push(`${name}: no reply (${(error as Error).message})`);
        continue;
      }
      statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      if (status >= 500) problems.push(`${name}: HTTP ${status}`);
      if (c.expectStatus && !c.expectStatus.includes(status)) {
        problems.push(`${name}: HTTP ${status}, expected ${c.expectStatus.join(" or ")}`);
      }
      let parsed: Record<string, unknown> | null = null;
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        problems.push(`${name}: reply is not JSON (${text.slice(0, 80)})`);
        continue;
      }
      if (status !== 200) {
        if (!isSentence(parsed?.detail)) problems.push(`${name}: HTTP ${status} without a clear detail`);
        continue;
      }
      const events = parsed?.logged_events;
      if (!Array.isArray(events)) {
        if (r.path === undefined && r.method === undefined)
          problems.push(`${name}: 200 without logged_events`);
        continue;
      }
      for (const e of events as Array<Record<string, unknown>>) {
        if (e && "error_in_log" in e) {
          rejected += 1;
          if (!isSentence(e.error_in_log)) problems.push(`${name}: error_in_log is not a clear message`);
        } else if (typeof e?.task_id === "string" && ids.has(e.task_id)) acknowledged.add(e.task_id);
      }
    }
    const health = await fetch(`${collector.origin}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    const stored = await storedTasks(db, collector.projectId);
    const missing = [...expected].filter((id) => !stored.ids.has(id));
    const ackedMissing = [...acknowledged].filter((id) => !stored.ids.has(id));
    return {
      name: `${corpus.length} malformed requests`,
      logged: expected.size,
      acknowledged: acknowledged.size,
      stored: expected.size - missing.length,
      dropped: rejected ? { rejected_bad_events: rejected } : {},
      unaccounted: missing.length + ackedMissing.length,
      checks: [
        {
          what: "no 5xx, clear messages, expected statuses",
          ok: problems.length === 0,
          detail: problems.length
            ? problems.join("; ")
            : `replies: ${Object.entries(statusCounts)
                .map(([k, v]) => `${k}×${v}`)
                .join(", ")}`,
        },
        {
          what: "collector still up",
          ok: health && collector.process.exitCode === null,
          detail: health ? "/health ok" : "down",
        },
        {
          what: "good events stored",
          ok: missing.length === 0,
          detail: missing.length ? `missing: ${missing.slice(0, 5).join(", ")}` : "all stored",
        },
      ],
    };
  } finally {
    await collector.stop();
  }
}
