/** Export of the filtered view: CSV and JSONL, streamed over a real socket across several keyset pages. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteDatabase } from "../helpers/postgres.js";
import { startHarness, type Harness } from "./harness.js";

const ROWS = 1_234;
const BASE_S = 1_790_000_000;

/** Splits CSV text into records, honouring quoted cells with commas, quotes and newlines. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return records;
}

describe("dashboard export", () => {
  let h: Harness;
  let origin: string;

  beforeAll(async () => {
    h = await startHarness({ name: "sqlite", create: async () => createSqliteDatabase() });
    const events = Array.from({ length: ROWS }, (_, i) => ({
      task_id: `task_${String(i).padStart(5, "0")}`,
      input: i === 7 ? 'He said "hi", then\nleft' : i === 8 ? '=HYPERLINK("http://evil")' : `question ${i}`,
      output: `answer ${i}`,
      created_at: BASE_S + i,
      flag: i % 2 === 0 ? "success" : "failure",
      metadata: { n: i },
    }));
    for (let i = 0; i < events.length; i += 200) await h.log(events.slice(i, i + 200));
    origin = await h.app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(() => h.close());

  const fetchExport = (query: string, cookie = h.cookie) =>
    fetch(`${origin}/api/projects/${h.projectId}/export${query}`, { headers: { cookie } });

  it("streams every task as CSV, newest first, with a header and RFC 4180 quoting", async () => {
    const response = await fetchExport("?format=csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="tasks-.*\.csv"/);
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    expect(response.headers.get("content-length")).toBeNull();
    const records = parseCsv(await response.text());
    const [header, ...rows] = records;
    expect(header?.slice(0, 3)).toEqual(["id", "created_at", "session_id"]);
    expect(rows).toHaveLength(ROWS);
    const idIndex = header?.indexOf("id") ?? -1;
    const ids = rows.map((r) => r[idIndex]);
    expect(new Set(ids).size).toBe(ROWS);
    expect(ids[0]).toBe("task_01233");
    expect(ids.at(-1)).toBe("task_00000");
    const input = header?.indexOf("input") ?? -1;
    expect(rows.find((r) => r[idIndex] === "task_00007")?.[input]).toBe('He said "hi", then\nleft');
    expect(rows.find((r) => r[idIndex] === "task_00008")?.[input]).toBe('\'=HYPERLINK("http://evil")');
  });

  it("streams JSONL of the filtered view only", async () => {
    const response = await fetchExport("?format=jsonl&flag=success");
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const lines = (await response.text()).trimEnd().split("\n");
    expect(lines).toHaveLength(Math.ceil(ROWS / 2));
    const tasks = lines.map((l) => JSON.parse(l) as { id: string; flag: string; metadata: { n: number } });
    expect(tasks.every((t) => t.flag === "success")).toBe(true);
    expect(tasks[0]).toMatchObject({ id: "task_01232", metadata: { n: 1232 } });
  });

  it("refuses an export without a session or with a bad format", async () => {
    expect((await fetchExport("?format=csv", "")).status).toBe(401);
    const bad = await fetchExport("?format=xlsx");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toContain("format");
  });
});
