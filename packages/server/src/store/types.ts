/**
 * The store interface: what the routes (v2 and dashboard) may ask of a storage engine. One implementation serves
 * SQLite (better-sqlite3) and PostgreSQL (pg) through Kysely; `dialect` tells the few queries that must differ.
 *
 * The methods below are the contract shared by the ingest/v2 code and the dashboard code. Implementations may
 * add methods; they must not change these signatures without updating every caller.
 */
import type { Kysely, Selectable } from "kysely";
import type {
  ApiKeysTable,
  Database,
  EvalsTable,
  ProjectsTable,
  SessionsTable,
  TasksTable,
} from "./schema.js";
import type { Step, StepLogEntry, StoredStep } from "../steps/types.js";

export type Dialect = "sqlite" | "postgres";

export type Project = Selectable<ProjectsTable>;
export type ApiKeyRecord = Omit<Selectable<ApiKeysTable>, "key_hash">;
export type TaskRow = Selectable<TasksTable>;
export type SessionRow = Selectable<SessionsTable>;

/** Feedback as the routes hand it to the store. */
export interface FeedbackInput {
  /** `flag_removed` (value null) unflags the task: the dashboard's second click on the active thumb. */
  kind: "flag" | "human_eval" | "notes" | "flag_removed";
  /** `success` / `failure` for flag and human_eval; null for a notes-only edit. */
  value: "success" | "failure" | null;
  source: string | null;
  /** Omitted (undefined) keeps earlier notes; a string replaces them. */
  notes?: string | null | undefined;
  /** ms since epoch; defaults to now. */
  at?: number | undefined;
  /** Sent without a key: recorded, but never overwriting the owner's flag, notes or human evaluation. */
  keyless?: boolean | undefined;
  /** Hash of the client address of key-less feedback. */
  client?: string | undefined;
  /** Feedback rows kept for this task (the newest); older ones are deleted. Default: all. */
  keepHistory?: number | undefined;
}

export interface FeedbackResult {
  /** The task after the feedback was applied, or null when the task has not arrived yet (kept as pending). */
  task: TaskRow | null;
  pending: boolean;
}

/**
 * One event as validation hands it to the store. `null` means "absent from the event": an upsert never lets an
 * absent field erase a stored one.
 */
export interface IngestEvent {
  task_id: string;
  session_id: string | null;
  input: string;
  output: string | null;
  /** The task's time in ms (event `created_at`, else `client_created_at`); null: the time it was received. */
  created_at: number | null;
  /** Upsert ordering key in ms (`last_update`, else `client_created_at`, else the time it was received). */
  order: number;
  /** JSON text of the original objects. */
  raw_input: string | null;
  raw_output: string | null;
  raw_input_type_name: string | null;
  raw_output_type_name: string | null;
  /** Explicit metadata merged over the top-level extras; the derived columns are computed from it. */
  metadata: Record<string, unknown>;
  flag: "success" | "failure" | null;
  /**
   * The collector made this task id for this event just now (it came without one): no stored task and no
   * waiting feedback can have it, so ingest skips looking for them.
   */
  fresh?: true | undefined;
  /** Steps of this task, upserted with it by `(task, id)` (`steps/`). */
  steps?: Step[] | undefined;
  /** Message content joined to steps by span id (OTLP log records). */
  stepLogs?: Map<string, StepLogEntry[]> | undefined;
  /** OTLP: the event recomputed from every stored step row of its task, once this event's rows are written. */
  deriveFromSteps?: ((rows: StoredStep[]) => IngestEvent) | undefined;
}

/** Filters of the task lists (v2 and dashboard). Times in ms, inclusive. */
export interface TaskFilters {
  createdAtStart?: number | undefined;
  createdAtEnd?: number | undefined;
  flag?: string | undefined;
  /** Exact match per key against the task's metadata. Keys must not contain `"`. */
  metadata?: Record<string, unknown> | undefined;
  versionId?: string | undefined;
  userId?: string | undefined;
  sessionId?: string | undefined;
  taskIds?: string[] | undefined;
  sessionIds?: string[] | undefined;
  hasNotes?: boolean | undefined;
  /** Case-insensitive substring of input or output. */
  search?: string | undefined;
}

export interface SessionFilters {
  createdAtStart?: number | undefined;
  createdAtEnd?: number | undefined;
  userId?: string | undefined;
  sessionIds?: string[] | undefined;
  hasNotes?: boolean | undefined;
}

/** `POST /tasks/{id}`: fields an owner may change. */
export interface TaskPatch {
  metadata?: Record<string, unknown> | undefined;
  notes?: string | undefined;
  flag?: "success" | "failure" | undefined;
  flagSource?: string | undefined;
}

export type EvalRow = Selectable<EvalsTable>;

export interface Store {
  readonly dialect: Dialect;
  /** For read queries that live beside their routes (the dashboard's). Writes go through the methods. */
  readonly db: Kysely<Database>;
  close(): Promise<void>;
  /**
   * Null while writes pass; else why they do not (a full disk) and since when (ms). Writes are still tried, and
   * the first that commits makes the store writable again.
   */
  readOnly(): { cause: string; since: number } | null;

  createProject(name: string, id?: string): Promise<Project>;
  getProject(id: string): Promise<Project | null>;
  listProjects(): Promise<Project[]>;

  /** Creates a key. `plaintext` lets a user's PHOSPHO_API_KEY be ensured; otherwise a random one is made. */
  createApiKey(
    projectId: string,
    opts?: { plaintext?: string; name?: string },
  ): Promise<{ key: string; record: ApiKeyRecord }>;
  /** Constant-time check of a plaintext key; null when unknown or revoked. */
  verifyApiKey(plaintext: string): Promise<{ keyId: string; projectId: string } | null>;

  /** Feedback on a task of `projectId`; kept pending and applied on arrival if the task is not there yet. */
  addFeedback(projectId: string, taskId: string, feedback: FeedbackInput): Promise<FeedbackResult>;
  getTask(projectId: string, taskId: string): Promise<TaskRow | null>;
  getSession(projectId: string, sessionId: string): Promise<SessionRow | null>;

  /**
   * Upserts a batch of already validated events of one project; resolves after their commit (group commit). Once
   * `signal` is aborted (the client has gone), a batch still waiting for its turn is dropped unrun.
   */
  ingest(projectId: string, events: IngestEvent[], signal?: AbortSignal): Promise<void>;
  /** Newest first (`created_at`, `received_at`, `id` descending); `offset` rows skipped. */
  listTasks(projectId: string, filters: TaskFilters, limit: number, offset?: number): Promise<TaskRow[]>;
  /** Most recent activity first. */
  listSessions(projectId: string, filters: SessionFilters, limit: number): Promise<SessionRow[]>;
  /** In conversation order (`task_position`); all of them without `page`. */
  listSessionTasks(
    projectId: string,
    sessionId: string,
    page?: { limit: number; offset: number },
  ): Promise<TaskRow[]>;
  /** Null when the task does not exist. */
  updateTask(projectId: string, taskId: string, patch: TaskPatch): Promise<TaskRow | null>;
  listEvals(projectId: string, taskId: string): Promise<EvalRow[]>;
  listApiKeys(projectId: string): Promise<ApiKeyRecord[]>;
  /**
   * Revokes the key with this id, or the one key whose display prefix starts with `idOrPrefix` (within `projectId`
   * when given), and ends every dashboard session it opened, in one transaction. Null when none matches; throws
   * when a prefix matches several keys.
   */
  revokeApiKey(idOrPrefix: string, projectId?: string): Promise<ApiKeyRecord | null>;
  /** Null when the project does not exist. */
  renameProject(id: string, name: string): Promise<Project | null>;
  /** Projects holding a task (or session) with this id: tells 403 from 404 and routes key-less feedback. */
  projectsWithTask(taskId: string): Promise<string[]>;
  projectsWithSession(sessionId: string): Promise<string[]>;
  /**
   * Feedback kept for tasks that have not arrived, counted up to `atMost` (cheap: a partial index); only that of
   * one client (address hash) when `client` is given.
   */
  countPendingFeedback(projectId: string, atMost: number, client?: string): Promise<number>;
  /** Deletes key-less feedback that has waited for its task since before `before` (ms). */
  expirePendingFeedback(projectId: string, before: number): Promise<void>;
}
