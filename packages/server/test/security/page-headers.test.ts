/** The UI's pages and files carry CSP, frame and sniffing protection whichever path served them. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteDatabase } from "../helpers/postgres.js";
import { startHarness, type Harness } from "../dashboard/harness.js";

describe("dashboard page headers", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ name: "sqlite", create: async () => createSqliteDatabase() });
    await h.log([{ task_id: "t1", input: "hello", output: "world" }]);
  });
  afterAll(() => h.close());

  function expectPageHeaders(headers: Record<string, unknown>) {
    const csp = String(headers["content-security-policy"] ?? "");
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/script-src 'self'/);
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
  }

  it("sends CSP, X-Frame-Options and nosniff with index.html however it is reached", async () => {
    for (const url of ["/", "/signin", "/index.html", "/projects/x/overview"]) {
      const reply = await h.app.inject({ method: "GET", url, headers: { cookie: h.cookie } });
      expect(reply.statusCode, url).toBe(200);
      expect(reply.body).toContain("phospho test UI");
      expectPageHeaders(reply.headers);
    }
  });

  it("sends nosniff and no-frame headers with the UI's static files", async () => {
    const reply = await h.app.inject({ method: "GET", url: "/assets/app.js" });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers["x-content-type-options"]).toBe("nosniff");
    expect(reply.headers["x-frame-options"]).toBe("DENY");
  });

  it("answers a malformed percent-encoding in a page path with 400, not 500", async () => {
    for (const url of ["/%E0%A4%A", "/projects/%ZZ"]) {
      const reply = await h.app.inject({ method: "GET", url, headers: { cookie: h.cookie } });
      expect(reply.statusCode, url).toBe(400);
    }
  });
});
