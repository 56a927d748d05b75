/**
 * LLM detectors against a fake OpenAI-compatible server: tagger, scorer and classifier prompts at temperature 0
 * with logprobs, a confidence from top_logprobs (1 without them), few-shot examples from reviews, retries after a
 * 429, a job failed with its error after repeated 500s (and retried), a slow endpoint at concurrency 8 losing
 * no job, and a key that reaches the endpoint but no error line.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createAnalyticsRunner,
  createDefinition,
  judgeAgreement,
  saveEndpoint,
  saveJudge,
} from "../../src/analytics/index.js";
import type { AnalyticsFilters } from "../../src/analytics/filters.js";
import { reviewDetection } from "../../src/analytics/review.js";
import { iterateTasks } from "../../src/dashboard/queries/tasks.js";
import { countJobs, listFailed, retryFailed, type JobRunner } from "../../src/jobs/index.js";
import { openStore } from "../../src/store/index.js";
import type { KyselyStore } from "../../src/store/kysely-store.js";
import { event } from "../helpers/events.js";
import { createSqliteDatabase, type TestDatabase } from "../helpers/postgres.js";
import { startFakeLlm, type FakeLlm } from "./support/fake-llm.js";

const KEY = "sk-fake-SECRET-41b7";

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("LLM detectors", () => {
  let database: TestDatabase;
  let store: KyselyStore;
  let fake: FakeLlm;
  let runner: JobRunner;
  let projectId: string;
  const errors: string[] = [];

  beforeEach(async () => {
    database = createSqliteDatabase();
    store = await openStore(database.url);
    projectId = (await store.createProject("P")).id;
    fake = await startFakeLlm();
    await saveEndpoint(store.db, projectId, { baseUrl: fake.baseUrl, model: "fake-1", apiKey: KEY });
    errors.length = 0;
    runner = createAnalyticsRunner(store, {
      runner: { pollMs: 5, backoffMs: 5, maxAttempts: 3, concurrency: 8, llmRatePerSecond: 1_000 },
      scanEveryMs: 10,
      scan: { settleMs: 0 },
      onError: (line) => errors.push(line),
    });
  });
  afterEach(async () => {
    await runner.stop();
    await fake.close();
    await store.close();
    await database.drop();
  });

  const detections = () =>
    store.db
      .selectFrom("detections")
      .select(["task_id", "definition_id", "present", "label", "score", "confidence"])
      .where("project_id", "=", projectId)
      .orderBy("task_id")
      .orderBy("definition_id")
      .execute();

  async function definitions() {
    const tagger = await createDefinition(store.db, projectId, {
      name: "Frustrated",
      description: "The user is frustrated or angry.",
      scope: "input",
      detector: "llm_tagger",
      config: {},
    });
    const scorer = await createDefinition(store.db, projectId, {
      name: "Calm",
      description: "How calm is the user?",
      scope: "input",
      detector: "llm_scorer",
      config: {},
    });
    const classifier = await createDefinition(store.db, projectId, {
      name: "Intent",
      description: "What does the user want?",
      scope: "input",
      detector: "llm_classifier",
      config: { categories: ["question", "complaint", "other"] },
    });
    return { tagger, scorer, classifier };
  }

  it("asks at temperature 0 with logprobs and derives the confidence from top_logprobs", async () => {
    const { tagger, scorer, classifier } = await definitions();
    await store.ingest(projectId, [
      event("angry", { input: "I am furious" }),
      event("calm", { input: "What time is it?" }),
    ]);
    runner.start();
    await until(async () => (await detections()).length === 6);
    const rows = await detections();
    const find = (task: string, id: string) =>
      rows.find((row) => row.task_id === task && row.definition_id === id);
    expect(find("angry", tagger.id)).toMatchObject({ present: 1, confidence: 0.9 });
    expect(find("calm", tagger.id)).toMatchObject({ present: 0, confidence: 0.9 });
    expect(find("angry", scorer.id)).toMatchObject({ present: 1, score: 2, confidence: 0.9 });
    expect(find("calm", scorer.id)).toMatchObject({ score: 4 });
    expect(find("angry", classifier.id)).toMatchObject({ present: 1, label: "complaint" });
    expect(find("calm", classifier.id)).toMatchObject({ present: 1, label: "question" });
    // The task filters by score range and label (what the dashboard's event filter sends).
    const matching = async (analytics: AnalyticsFilters) => {
      const tasks = [];
      for await (const row of iterateTasks(store, projectId, { metadata: [], analytics })) tasks.push(row.id);
      return tasks.sort();
    };
    expect(await matching({ event: scorer.id, scoreMin: 3 })).toEqual(["calm"]);
    expect(await matching({ event: scorer.id, scoreMax: 3 })).toEqual(["angry"]);
    expect(await matching({ event: scorer.id, scoreMin: 1, scoreMax: 5 })).toEqual(["angry", "calm"]);
    expect(await matching({ event: classifier.id, eventLabel: "complaint" })).toEqual(["angry"]);
    for (const request of fake.requests) {
      expect(request.authorization).toBe(`Bearer ${KEY}`);
      expect(request.body).toMatchObject({
        model: "fake-1",
        temperature: 0,
        logprobs: true,
        top_logprobs: 5,
      });
    }
  });

  it("parses the answer with confidence 1 when the endpoint gives no logprobs", async () => {
    fake.mode = "plain";
    const { tagger } = await definitions();
    await store.ingest(projectId, [event("angry", { input: "This is awful" })]);
    runner.start();
    await until(async () => (await detections()).length === 3);
    const row = (await detections()).find((d) => d.definition_id === tagger.id);
    expect(row).toMatchObject({ present: 1, confidence: 1 });
  });

  it("puts one confirmed and one removed example in the prompt", async () => {
    fake.mode = "plain";
    const tagger = await createDefinition(store.db, projectId, {
      name: "Frustrated",
      description: "The user is frustrated.",
      scope: "input",
      detector: "llm_tagger",
      config: {},
    });
    await store.ingest(projectId, [
      event("yes-right", { input: "I am angry about this" }),
      event("yes-wrong", { input: "angry birds is a fun game" }),
    ]);
    runner.start();
    await until(async () => (await detections()).length === 2);
    await reviewDetection(store.db, tagger, "yes-right", "confirm", {});
    await reviewDetection(store.db, tagger, "yes-wrong", "remove", {});
    fake.requests.length = 0;
    await store.ingest(projectId, [event("new", { input: "hello" })]);
    await until(async () => (await detections()).length === 3);
    const messages = fake.requests[0]!.body.messages;
    expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user"]);
    expect(messages[1]!.content).toContain("I am angry about this");
    expect(messages[2]!.content).toBe("yes");
    expect(messages[3]!.content).toContain("angry birds");
    expect(messages[4]!.content).toBe("no");
  });

  it("retries after a 429 and gets the answer", async () => {
    fake.mode = "429-once";
    await createDefinition(store.db, projectId, {
      name: "Frustrated",
      description: "",
      scope: "input",
      detector: "llm_tagger",
      config: {},
    });
    await store.ingest(projectId, [event("t", { input: "I am angry" })]);
    runner.start();
    await until(async () => (await detections()).length === 1);
    const statuses = fake.requests.length;
    expect(statuses).toBe(2);
    const job = await store.db
      .selectFrom("jobs")
      .selectAll()
      .where("kind", "=", "llm_detect")
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: "done", attempts: 2 });
  });

  it("shows a job failed with its error after the last attempt, never with the key, and retries it", async () => {
    fake.mode = "500";
    await createDefinition(store.db, projectId, {
      name: "Frustrated",
      description: "",
      scope: "input",
      detector: "llm_tagger",
      config: {},
    });
    await store.ingest(projectId, [event("t", { input: "I am angry" })]);
    runner.start();
    await until(async () =>
      (await countJobs(store.db, projectId)).some((c) => c.kind === "llm_detect" && c.failed === 1),
    );
    const [failed] = await listFailed(store.db, projectId);
    expect(failed!.attempts).toBe(3);
    expect(failed!.last_error).toMatch(/^model endpoint answered 500: .*upstream failed for Bearer \*\*\*/);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    for (const line of [...errors, failed!.last_error!]) expect(line).not.toContain(KEY);

    fake.mode = "plain";
    expect(await retryFailed(store.db, projectId, { jobId: failed!.id })).toBe(1);
    await until(async () => (await detections()).length === 1);
  });

  it("loses no job on a slow endpoint at concurrency 8", async () => {
    fake.mode = "slow";
    await createDefinition(store.db, projectId, {
      name: "Frustrated",
      description: "",
      scope: "input",
      detector: "llm_tagger",
      config: {},
    });
    await store.ingest(
      projectId,
      Array.from({ length: 40 }, (_, i) => event(`t${i}`, { input: i % 2 ? "I am angry" : "hello" })),
    );
    runner.start();
    await until(async () => (await detections()).length === 40);
    expect((await detections()).filter((d) => d.present === 1)).toHaveLength(20);
    expect((await countJobs(store.db, projectId)).find((c) => c.kind === "llm_detect")).toMatchObject({
      done: 40,
      failed: 0,
      queued: 0,
    });
  });

  it("judges sampled tasks as feedback of its own source, never over a human flag, and measures agreement", async () => {
    await saveJudge(store.db, projectId, {
      enabled: true,
      guidelines: "Answers must be polite.",
      sample_rate: 1,
    });
    await store.ingest(projectId, [
      event("ex-ok", { input: "thanks", output: "you are welcome" }),
      event("ex-bad", { input: "help", output: "go away" }),
    ]);
    await store.addFeedback(projectId, "ex-ok", { kind: "flag", value: "success", source: "owner" });
    await store.addFeedback(projectId, "ex-bad", { kind: "flag", value: "failure", source: "owner" });
    runner.start();
    const judged = () =>
      store.db.selectFrom("evals").selectAll().where("kind", "=", "judge").orderBy("task_id").execute();
    await until(async () => (await judged()).length === 2);
    fake.requests.length = 0;
    await store.ingest(projectId, [event("new", { input: "I am furious", output: "Sorry to hear that" })]);
    await until(async () => (await judged()).length === 3);
    const verdict = (await judged()).find((row) => row.task_id === "new")!;
    expect(verdict).toMatchObject({ value: "failure", source: "phospho-judge", applied: 1 });
    // The task's flag is the humans' alone.
    expect((await store.getTask(projectId, "new"))!.flag).toBeNull();
    const prompt = fake.requests[0]!.body.messages;
    expect(prompt[0]!.content).toContain("Guidelines: Answers must be polite.");
    expect(prompt.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user"]);
    expect(prompt[2]!.content).toBe("success");
    expect(prompt[4]!.content).toBe("failure");
    // The judge said success on both examples; the humans said success and failure: one of two agree.
    expect(await judgeAgreement(store.db, projectId)).toEqual({ n: 2, agree: 1, rate: 0.5 });
    await store.addFeedback(projectId, "new", { kind: "flag", value: "failure", source: "owner" });
    expect(await judgeAgreement(store.db, projectId)).toEqual({ n: 3, agree: 2, rate: 2 / 3 });
  });
});
