/**
 * Issue 11: a transaction of the group commit that PostgreSQL rolls back as a deadlock victim is run again and
 * answered after its commit, instead of failing its requests with a 500. Two collectors over one database met
 * this under load (bench section 3, scale-out row: "deadlock detected").
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { WriteQueue } from "../../src/store/write-queue.js";
import { storeEngines } from "../helpers/postgres.js";

const postgres = (await storeEngines()).filter((engine) => engine.name === "postgres");

describe.each(postgres)("lock conflicts on $name", (engine) => {
  it("runs a deadlock victim's group again and answers after its commit", async () => {
    const database = await engine.create();
    const store = await openStore(database.url, { warn: () => {} });
    try {
      const queue = new WriteQueue(store.db);
      const lock = (key: number) => sql`SELECT pg_advisory_xact_lock(4242, ${key})`;
      const waiting = async () => {
        for (;;) {
          const { rows } = await sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`.execute(
            store.db,
          );
          if (rows[0]!.n > 0) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      // Another writer holds lock 1; the queue's job takes lock 2 and then waits for 1; the other writer then
      // asks for 2: a cycle. The job waited first, so its backend finds the deadlock and is the one rolled back.
      let holds!: () => void;
      const held = new Promise<void>((resolve) => (holds = resolve));
      const other = store.db.transaction().execute(async (trx) => {
        await lock(1).execute(trx);
        holds();
        await waiting();
        await lock(2).execute(trx);
      });
      await held;
      let runs = 0;
      const answer = await queue.run(async (trx) => {
        runs += 1;
        await lock(2).execute(trx);
        await lock(1).execute(trx);
        return "committed";
      });
      await other;
      expect(answer).toBe("committed");
      expect(runs).toBe(2);
      expect(queue.stats.conflicts).toBe(1);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
