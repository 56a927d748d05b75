/**
 * The store interface: what the routes (v2 and dashboard) may ask of a storage engine. One implementation serves
 * SQLite (better-sqlite3) and PostgreSQL (pg) through Kysely; `dialect` tells the few queries that must differ.
 *
 * The methods below are the contract shared by the ingest/v2 code and the dashboard code. Implementations may
 * add methods; they must not change these signatures without updating every caller.
 */
import type { Kysely, Selectable } from "kysely";
import type { ApiKeysTable, Database, ProjectsTable, SessionsTable, TasksTable } from "./schema.js";

export type Dialect = "sqlite" | "postgres";

export type Project = Selectable<ProjectsTable>;
export type ApiKeyRecord = Omit<Selectable<ApiKeysTable>, "key_hash">;
export type TaskRow = Selectable<TasksTable>;
export type SessionRow = Selectable<SessionsTable>;

/** Feedback as the routes hand it to the store. */
export interface FeedbackInput {
  kind: "flag" | "human_eval" | "notes";
  /** `success` / `failure` for flag and human_eval; null for a notes-only edit. */
  value: "success" | "failure" | null;
  source: string | null;
  /** Omitted (undefined) keeps earlier notes; a string replaces them. */
  notes?: string | null | undefined;
  /** ms since epoch; defaults to now. */
  at?: number | undefined;
}

export interface FeedbackResult {
  /** The task after the feedback was applied, or null when the task has not arrived yet (kept as pending). */
  task: TaskRow | null;
  pending: boolean;
}

export interface Store {
  readonly dialect: Dialect;
  /** For read queries that live beside their routes (the dashboard's). Writes go through the methods. */
  readonly db: Kysely<Database>;
  close(): Promise<void>;

  createProject(name: string, id?: string): Promise<Project>;
  getProject(id: string): Promise<Project | null>;
  listProjects(): Promise<Project[]>;

  /** Creates a key. `plaintext` lets a user's PHOSPHO_API_KEY be ensured; otherwise a random one is made. */
  createApiKey(projectId: string, opts?: { plaintext?: string; name?: string }): Promise<{ key: string; record: ApiKeyRecord }>;
  /** Constant-time check of a plaintext key; null when unknown or revoked. */
  verifyApiKey(plaintext: string): Promise<{ keyId: string; projectId: string } | null>;

  /** Feedback on a task of `projectId`; kept pending and applied on arrival if the task is not there yet. */
  addFeedback(projectId: string, taskId: string, feedback: FeedbackInput): Promise<FeedbackResult>;
  getTask(projectId: string, taskId: string): Promise<TaskRow | null>;
  getSession(projectId: string, sessionId: string): Promise<SessionRow | null>;
}
