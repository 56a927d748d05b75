// The parity scripts: code written for phospho 1.3 (its default `phospho` client and `sendUserFeedback`
// only), run once per process against one SDK, so each starts from a fresh module. Usage:
//   node scripts.mjs <sdk module path> <script name> <collector base URL> <project id> <api key> <run tag>
// Prints one JSON line: what the calls returned, the task ids to read back, and whether anything was printed.
// Plain JavaScript on purpose: it must run unchanged against the upstream package.

import { createRequire } from "node:module";

const [sdkPath, name, baseUrl, projectId, apiKey, tag] = process.argv.slice(2);
/** Task ids chosen by the scripts, distinct per run so that both SDKs can log to one collector. */
const id = (label) => `task_parity_${label}_${tag}`;
const printed = [];
for (const level of ["log", "warn", "error"])
  console[level] = (...args) => printed.push(args.map(String).join(" "));

const sdk = sdkPath.endsWith(".cjs") ? createRequire(import.meta.url)(sdkPath) : await import(sdkPath);
const { phospho, sendUserFeedback } = sdk;
const options = { apiKey, projectId, baseUrl, pathToHash: null };
const tasks = [];

/** The fields of a returned log content that both SDKs may set. */
function pick(content) {
  if (content === undefined || content === null) return content ?? null;
  const out = {};
  for (const key of [
    "task_id",
    "session_id",
    "project_id",
    "input",
    "output",
    "raw_input",
    "raw_output",
    "model",
    "system_prompt",
    "usage",
    "flag",
    "user_id",
    "version_id",
    "metadata",
  ]) {
    if (content[key] !== undefined) out[key] = content[key];
  }
  return out;
}

/** What a feedback call resolved to: an object (the updated task; its content depends on the route), or not. */
function reply(outcome) {
  if (!("resolved" in outcome)) return outcome;
  const value = outcome.resolved;
  return { resolved: value !== null && typeof value === "object" ? "an object" : value };
}

async function settle(promise) {
  try {
    return { resolved: (await promise) ?? null };
  } catch (error) {
    return { rejected: error instanceof Error ? error.constructor.name : typeof error };
  }
}

const completion = {
  id: "chatcmpl_parity",
  object: "chat.completion",
  model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "Paris." }, finish_reason: "stop" }],
  usage: { prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 },
};
const query = {
  model: "gpt-4o-mini",
  messages: [
    { role: "system", content: "You answer in one word." },
    { role: "user", content: "Capital of France?" },
  ],
};

const scripts = {
  async init_returns_promise() {
    const result = phospho.init(options);
    const then = typeof result?.then === "function";
    return { then, ...(await settle(result)), initialized: phospho.isInitialized() };
  },
  async init_without_key() {
    const init = await settle(phospho.init({ baseUrl, pathToHash: null }));
    const log = await settle(phospho.log({ input: "no key" }).then(() => "logged"));
    return { init, initialized: phospho.isInitialized(), log };
  },
  async public_fields() {
    await phospho.init({ ...options, tick: 200 });
    return {
      apiKey: phospho.apiKey === apiKey,
      projectId: phospho.projectId,
      baseUrl: phospho.baseUrl,
      tick: phospho.tick,
      versionId: phospho.versionId,
      pathToHash: phospho.pathToHash,
      logQueue: phospho.logQueue instanceof Map ? phospho.logQueue.size : "not a Map",
      latestTaskId: phospho.latestTaskId,
      latestSessionId: phospho.latestSessionId,
      methods: [
        "init",
        "log",
        "sendBatch",
        "wrap",
        "userFeedback",
        "newSession",
        "newTask",
        "isInitialized",
      ].map((m) => typeof phospho[m]),
    };
  },
  async log_strings() {
    await phospho.init(options);
    const logged = await phospho.log({ input: "Hi", output: "Hello!", sessionId: "session_parity_1" });
    await phospho.sendBatch();
    tasks.push(logged.task_id);
    return pick(logged);
  },
  async log_openai_objects() {
    await phospho.init(options);
    const logged = await phospho.log({ taskId: id("openai"), input: query, output: completion });
    await phospho.sendBatch();
    tasks.push(logged.task_id);
    return pick(logged);
  },
  async log_promise_output() {
    await phospho.init(options);
    const logged = await phospho.log({
      taskId: id("promise"),
      input: Promise.resolve("Later?"),
      output: new Promise((resolve) => setTimeout(() => resolve("Later."), 30)),
    });
    await phospho.sendBatch();
    tasks.push(logged.task_id);
    return pick(logged);
  },
  async raw_overrides() {
    await phospho.init(options);
    const logged = await phospho.log({
      taskId: id("raw"),
      input: "Shown input",
      output: "Shown output",
      rawInput: { kept: "raw input" },
      rawOutput: { kept: "raw output" },
    });
    await phospho.sendBatch();
    tasks.push(logged.task_id);
    return pick(logged);
  },
  async same_task_twice() {
    await phospho.init(options);
    await phospho.log({ taskId: id("twice"), input: "Say hello", output: "Hello" });
    const second = await phospho.log({ taskId: id("twice"), input: "Say hello", output: ", world" });
    await phospho.sendBatch();
    tasks.push(id("twice"));
    return pick(second);
  },
  async extra_fields() {
    await phospho.init(options);
    const logged = await phospho.log({
      taskId: id("extra"),
      input: "q",
      output: "a",
      flag: "success",
      user_id: "user_parity",
      version_id: "v_parity",
      metadata: { plan: "pro", score: 3 },
    });
    await phospho.sendBatch();
    tasks.push(logged.task_id);
    return pick(logged);
  },
  async latest_ids() {
    await phospho.init(options);
    const before = { task: phospho.latestTaskId, session: phospho.latestSessionId };
    const a = await phospho.log({ input: "a", sessionId: "session_parity_latest" });
    const afterSession = { task: phospho.latestTaskId === a.task_id, session: phospho.latestSessionId };
    await phospho.log({ input: "b" });
    const afterNone = { session: phospho.latestSessionId };
    await phospho.sendBatch();
    return { before, afterSession, afterNone };
  },
  async stream_async() {
    await phospho.init(options);
    async function* parts() {
      yield "Hel";
      yield "lo";
    }
    const output = parts();
    const logged = await phospho.log({ taskId: id("stream"), input: "Stream it", output, stream: true });
    let text = "";
    for await (const part of output) text += part;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await phospho.sendBatch();
    tasks.push(id("stream"));
    return { returned: logged === undefined ? "undefined" : "content", read: text };
  },
  async feedback_flag() {
    await phospho.init(options);
    const logged = await phospho.log({ taskId: id("fb"), input: "q", output: "a" });
    await phospho.sendBatch();
    tasks.push(logged.task_id);
    return reply(
      await settle(phospho.userFeedback({ taskId: logged.task_id, flag: "failure", notes: "wrong" })),
    );
  },
  async feedback_raw_flag() {
    await phospho.init(options);
    const logged = await phospho.log({ taskId: id("fb_raw"), input: "q", output: "a" });
    await phospho.sendBatch();
    tasks.push(logged.task_id);
    return reply(await settle(phospho.userFeedback({ taskId: logged.task_id, rawFlag: "👍" })));
  },
  async feedback_notes_only() {
    await phospho.init(options);
    const logged = await phospho.log({ taskId: id("fb_notes"), input: "q", output: "a" });
    await phospho.sendBatch();
    tasks.push(logged.task_id);
    return reply(await settle(phospho.userFeedback({ taskId: logged.task_id, notes: "just a note" })));
  },
  async feedback_nothing() {
    await phospho.init(options);
    const logged = await phospho.log({ taskId: id("fb_none"), input: "q", output: "a" });
    await phospho.sendBatch();
    tasks.push(logged.task_id);
    return reply(await settle(phospho.userFeedback({ taskId: logged.task_id })));
  },
  async send_user_feedback() {
    await phospho.init(options);
    const logged = await phospho.log({ taskId: id("suf"), input: "q", output: "a" });
    await phospho.sendBatch();
    tasks.push(logged.task_id);
    return reply(
      await settle(sendUserFeedback({ projectId, taskId: logged.task_id, flag: "success", baseUrl })),
    );
  },
  async send_user_feedback_without_project() {
    return reply(await settle(sendUserFeedback({ taskId: id("nowhere"), flag: "success", baseUrl })));
  },
};

const script = scripts[name];
if (!script) throw new Error(`no parity script ${name}`);
const returned = await script();
process.stdout.write(`${JSON.stringify({ returned, tasks, printed: printed.length > 0 })}\n`);
// phospho 1.3 keeps a debounce timer; ours flushes at exit. Either way the process ends on its own.
