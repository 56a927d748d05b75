/**
 * Issue 13, item 15, on both engines: parameters that used to reach the database and fail there (a 500) are
 * refused with a 400 or 422 naming the parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeEngines } from "../helpers/postgres.js";
import { startHarness, type Harness } from "../dashboard/harness.js";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe.each(await storeEngines())("bad parameters on $name", (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
    await h.log([{ input: "x", task_id: "bp-1", session_id: "bp-s" }]);
  });
  afterAll(() => h.close());

  it.each([
    [
      "huge from",
      "/tasks?range=custom&from=99999999999999999999",
      /from: must be a time before the year 10000/,
    ],
    ["huge to", "/overview?range=custom&to=99999999999999999999", /to: must be a time before the year 10000/],
    ["huge from on export", "/export?range=custom&from=99999999999999999999&format=csv", /from/],
    ["a cursor with a NUL id", `/tasks?cursor=${b64([1, 2, "a\u0000b"])}`, /cursor/],
    ["a cursor with a huge time", `/tasks?cursor=${b64([1e300, 2, "a"])}`, /cursor/],
    ["a session cursor with a fraction", `/sessions?cursor=${b64([1.5, "a"])}`, /cursor/],
    ["a session cursor with a NUL", `/sessions?cursor=${b64([1, "a\u0000"])}`, /cursor/],
    ["a NUL in versions", `/ab?versions=${encodeURIComponent("v1,v\u00002")}`, /versions/],
    ["a huge since", "/latest?since=1e300", /since/],
  ])("answers 400 to %s", async (_name, path, detail) => {
    const res = await h.get<{ detail: string }>(`/projects/${h.projectId}${path}`);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(detail);
  });

  const list = (body: unknown) =>
    h.app.inject({
      method: "POST",
      url: `/v2/projects/${h.projectId}/tasks`,
      headers: { authorization: `Bearer ${h.apiKey}`, "content-type": "application/json" },
      payload: JSON.stringify(body),
    });

  it("answers 422 to a backslash in a v2 metadata filter key, and to a huge time", async () => {
    const slash = await list({ filters: { metadata: { "a\\b": 1 } } });
    expect(slash.statusCode).toBe(422);
    expect(slash.json().detail).toMatch(/^filters\.metadata: keys must not contain " or \\/);
    const huge = await list({ filters: { created_at_start: 1e300 } });
    expect(huge.statusCode).toBe(422);
    expect(huge.json().detail).toMatch(
      /^filters\.created_at_start: must be unix seconds before the year 10000/,
    );
  });
});
