/**
 * Issue 11: requests that arrive while the CLI is still writing the key named by PHOSPHO_API_KEY wait for it
 * instead of being refused with a 401 (the bench saw 11 to 47 such 401s per PostgreSQL row).
 */
import { describe, expect, it } from "vitest";
import { testApp } from "../helpers/app.js";

describe("requests during the start", () => {
  it("wait for the start to finish, so a key written by it is known to them", async () => {
    let started!: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    const t = await testApp({ ready });
    try {
      const key = "phk_written_during_the_start_0123456789abcdef";
      let settled = false;
      const reply = t.post(`/v2/log/${t.a.id}`, { batched_log_events: [{ input: "early" }] }, key);
      void reply.then(() => (settled = true));
      const health = t.get("/health", null);
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
      // What the CLI's first start does with PHOSPHO_API_KEY, after listening.
      await t.store.createApiKey(t.a.id, { plaintext: key });
      started();
      expect((await reply).statusCode).toBe(200);
      expect((await health).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
