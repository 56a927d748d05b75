/** The one `Store` implementation, over Kysely, for both engines. Writes go through the group-commit queue. */
import { randomInt } from "node:crypto";
import type { Kysely } from "kysely";
import { WriteState } from "./disk-full.js";
import { refreshSqliteStatistics } from "./sqlite-statistics.js";
import { onMainConnection } from "./sqlite-readers/index.js";
import { addFeedback, updateTask } from "./feedback.js";
import {
  generateApiKey,
  hashesEqual,
  hashKey,
  keyDisplayPrefix,
  MIN_API_KEY_LENGTH,
  randomId,
} from "./keys.js";
import { numberInOrder, withPositions } from "./positions.js";
import { listSessions, listTasks } from "./queries.js";
import { findKeys, revokeKey } from "./revoke.js";
import type { Database } from "./schema.js";
import type {
  ApiKeyRecord,
  Dialect,
  EvalRow,
  FeedbackInput,
  FeedbackResult,
  IngestEvent,
  Project,
  SessionFilters,
  SessionRow,
  Store,
  TaskFilters,
  TaskPatch,
  TaskRow,
} from "./types.js";
import { upsertEvents } from "./upsert.js";
import { WriteQueue } from "./write-queue.js";

const KEY_TOUCH_INTERVAL_MS = 60_000;

export class KyselyStore implements Store {
  readonly queue: WriteQueue;
  private closed = false;
  private readonly keyTouchedAt = new Map<string, number>();
  /**
   * This writer's shard of each aggregate bucket: replicas on PostgreSQL add to different rows of a bucket and
   * never queue on one; SQLite has a single writer.
   */
  readonly shard: number;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    /** Why the store opened read-only (a full disk), if it did. */
    fullDisk?: string,
  ) {
    this.queue = new WriteQueue(db, undefined, new WriteState(fullDisk ?? null));
    this.shard = dialect === "postgres" ? randomInt(0, 64) : 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.idle();
    if (this.dialect === "sqlite") await refreshSqliteStatistics(this.db);
    await this.db.destroy();
  }

  readOnly(): { cause: string; since: number } | null {
    return this.queue.writeState.readOnly();
  }

  async createProject(name: string, id: string = randomId("proj_")): Promise<Project> {
    const project = { id, name, created_at: Date.now() };
    await this.queue.run((trx) => trx.insertInto("projects").values(project).execute());
    return project;
  }

  async getProject(id: string): Promise<Project | null> {
    return (
      (await this.db
        .selectFrom("projects")
        .modifyFront(onMainConnection)
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst()) ?? null
    );
  }

  listProjects(): Promise<Project[]> {
    return this.db.selectFrom("projects").selectAll().orderBy("created_at").orderBy("id").execute();
  }

  async createApiKey(
    projectId: string,
    opts: { plaintext?: string; name?: string } = {},
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    if (opts.plaintext !== undefined && opts.plaintext.length < MIN_API_KEY_LENGTH) {
      throw new Error(`an API key needs at least ${MIN_API_KEY_LENGTH} characters`);
    }
    const key = opts.plaintext ?? generateApiKey();
    const record: ApiKeyRecord = {
      id: randomId("key_"),
      project_id: projectId,
      key_prefix: keyDisplayPrefix(key),
      name: opts.name ?? null,
      created_at: Date.now(),
      last_used_at: null,
      revoked_at: null,
    };
    await this.queue.run((trx) =>
      trx
        .insertInto("api_keys")
        .values({ ...record, key_hash: hashKey(key) })
        .execute(),
    );
    return { key, record };
  }

  async verifyApiKey(plaintext: string): Promise<{ keyId: string; projectId: string } | null> {
    const hash = hashKey(plaintext);
    const row = await this.db
      .selectFrom("api_keys")
      .modifyFront(onMainConnection)
      .select(["id", "project_id", "key_hash", "revoked_at"])
      .where("key_hash", "=", hash)
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || !hashesEqual(row.key_hash, hash)) return null;
    this.touchKey(row.id);
    return { keyId: row.id, projectId: row.project_id };
  }

  /** Records `last_used_at` at most once a minute per key, in the background, so reads stay reads. */
  private touchKey(keyId: string, now = Date.now()): void {
    const last = this.keyTouchedAt.get(keyId) ?? 0;
    if (this.closed || now - last < KEY_TOUCH_INTERVAL_MS) return;
    this.keyTouchedAt.set(keyId, now);
    this.queue
      .run((trx) => trx.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", keyId).execute())
      .catch(() => this.keyTouchedAt.delete(keyId));
  }

  listApiKeys(projectId: string): Promise<ApiKeyRecord[]> {
    return this.db
      .selectFrom("api_keys")
      .select(["id", "project_id", "key_prefix", "name", "created_at", "last_used_at", "revoked_at"])
      .where("project_id", "=", projectId)
      .orderBy("created_at")
      .execute();
  }

  async revokeApiKey(idOrPrefix: string, projectId?: string): Promise<ApiKeyRecord | null> {
    const found = await findKeys(this.db, idOrPrefix, projectId);
    if (found.length > 1) {
      throw new Error(`"${idOrPrefix}" matches ${found.length} keys: give the key id (key_…) instead`);
    }
    const key = found[0];
    if (!key) return null;
    const now = Date.now();
    await this.queue.run((trx) => revokeKey(trx, key.id, now));
    return { ...key, revoked_at: key.revoked_at ?? now };
  }

  async renameProject(id: string, name: string): Promise<Project | null> {
    await this.queue.run((trx) => trx.updateTable("projects").set({ name }).where("id", "=", id).execute());
    return this.getProject(id);
  }

  ingest(projectId: string, events: IngestEvent[], signal?: AbortSignal): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return this.queue.run(
      (trx) => upsertEvents(trx, this.dialect, projectId, events, Date.now(), this.shard),
      events.length,
      projectId,
      signal,
    );
  }

  addFeedback(projectId: string, taskId: string, feedback: FeedbackInput): Promise<FeedbackResult> {
    return this.queue.run((trx) =>
      addFeedback(trx, this.dialect, projectId, taskId, feedback, Date.now(), this.shard),
    );
  }

  updateTask(projectId: string, taskId: string, patch: TaskPatch): Promise<TaskRow | null> {
    return this.queue.run((trx) =>
      updateTask(trx, this.dialect, projectId, taskId, patch, Date.now(), this.shard),
    );
  }

  async getTask(projectId: string, taskId: string): Promise<TaskRow | null> {
    const row = await this.db
      .selectFrom("tasks")
      .selectAll()
      .where("project_id", "=", projectId)
      .where("id", "=", taskId)
      .executeTakeFirst();
    return row ? (await withPositions(this.db, [row]))[0]! : null;
  }

  async getSession(projectId: string, sessionId: string): Promise<SessionRow | null> {
    const row = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("project_id", "=", projectId)
      .where("id", "=", sessionId)
      .executeTakeFirst();
    return row ?? null;
  }

  async listTasks(projectId: string, filters: TaskFilters, limit: number, offset = 0): Promise<TaskRow[]> {
    return withPositions(this.db, await listTasks(this.db, this.dialect, projectId, filters, limit, offset));
  }

  listSessions(projectId: string, filters: SessionFilters, limit: number): Promise<SessionRow[]> {
    return listSessions(this.db, projectId, filters, limit);
  }

  async listSessionTasks(
    projectId: string,
    sessionId: string,
    page: { limit: number; offset: number } = { limit: 1_000_000, offset: 0 },
  ): Promise<TaskRow[]> {
    // One snapshot for the session row and its tasks, so that the positions match the length.
    return this.db
      .transaction()
      .setAccessMode("read only")
      .execute(async (trx) => {
        const session = await trx
          .selectFrom("sessions")
          .select("last_task_id")
          .where("project_id", "=", projectId)
          .where("id", "=", sessionId)
          .executeTakeFirst();
        const rows = await trx
          .selectFrom("tasks")
          .selectAll()
          .where("project_id", "=", projectId)
          .where("session_id", "=", sessionId)
          .orderBy("created_at")
          .orderBy("received_at")
          .orderBy("id")
          .limit(page.limit)
          .offset(page.offset)
          .execute();
        return numberInOrder(rows, session?.last_task_id ?? null, page.offset);
      });
  }

  listEvals(projectId: string, taskId: string): Promise<EvalRow[]> {
    return this.db
      .selectFrom("evals")
      .selectAll()
      .where("project_id", "=", projectId)
      .where("task_id", "=", taskId)
      .orderBy("id")
      .execute();
  }

  async projectsWithTask(taskId: string): Promise<string[]> {
    const rows = await this.db.selectFrom("tasks").select("project_id").where("id", "=", taskId).execute();
    return rows.map((row) => row.project_id);
  }

  async expirePendingFeedback(projectId: string, before: number): Promise<void> {
    await this.queue.run(
      (trx) =>
        trx
          .deleteFrom("evals")
          .where("project_id", "=", projectId)
          .where("applied", "=", 0)
          .where("keyless", "=", 1)
          .where("created_at", "<", before)
          .execute(),
      1,
      projectId,
    );
  }

  async countPendingFeedback(projectId: string, atMost: number, client?: string): Promise<number> {
    let pending = this.db
      .selectFrom("evals")
      .select("id")
      .where("project_id", "=", projectId)
      .where("applied", "=", 0)
      .limit(atMost);
    if (client !== undefined) pending = pending.where("client", "=", client);
    const row = await this.db
      .selectFrom(pending.as("p"))
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async projectsWithSession(sessionId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("sessions")
      .select("project_id")
      .where("id", "=", sessionId)
      .execute();
    return rows.map((row) => row.project_id);
  }
}
