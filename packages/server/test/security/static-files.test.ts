/** The UI's file server never reads outside the built folder, however the path is encoded. */
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteDatabase } from "../helpers/postgres.js";
import { startHarness, type Harness } from "../dashboard/harness.js";

describe("static files", () => {
  let h: Harness;
  const SECRET = "outside-the-ui-folder";
  const name = `phospho-secret-${randomBytes(6).toString("hex")}.txt`;
  let secretPath = "";

  beforeAll(async () => {
    h = await startHarness({ name: "sqlite", create: async () => createSqliteDatabase() });
    // A file next to the UI folder, which no path may reach.
    secretPath = join(dirname(h.staticDir), name);
    writeFileSync(secretPath, SECRET);
  });
  afterAll(async () => {
    rmSync(secretPath, { force: true });
    await h.close();
  });

  it("refuses ../ in every encoding", async () => {
    for (const url of [
      `/../${name}`,
      `/..%2f${name}`,
      `/%2e%2e/${name}`,
      `/%2e%2e%2f${name}`,
      `/assets/..%2f..%2f${name}`,
      `/..%5c${name}`,
      `/%252e%252e%252f${name}`,
    ]) {
      const reply = await h.app.inject({ method: "GET", url, headers: { cookie: h.cookie } });
      expect(reply.body, url).not.toContain(SECRET);
      expect(reply.statusCode, url).toBeLessThan(500);
    }
  });
});
