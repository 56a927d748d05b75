// Every example of the documentation page (log-to-phospho-with-javascript.md), written as the page writes it,
// against the real `openai` package talking to a fake OpenAI server.

import { afterAll, afterEach, describe, expect, it } from "vitest";
import { Phospho, phospho } from "../src/node.js";
import { useCollectorAndProvider } from "./helpers/servers.js";

const setup = useCollectorAndProvider();

afterAll(async () => {
  await phospho.shutdown(2000);
});

afterEach(() => {
  delete process.env.PHOSPHO_API_KEY;
  delete process.env.PHOSPHO_PROJECT_ID;
  delete process.env.PHOSPHO_BASE_URL;
});

const frogQuery = () => ({
  model: "gpt-3.5-turbo",
  temperature: 0,
  seed: 123,
  messages: [
    {
      role: "system" as const,
      content:
        "You are an helpful frog who gives life advice to people. You say *ribbit* at the end of each sentence and make other frog noises in between. You answer shortly in less than 50 words.",
    },
    { role: "user" as const, content: "What's the capital of Fashion?" },
  ],
});

describe("seed page examples", () => {
  it("phospho.init() reads PHOSPHO_API_KEY and PHOSPHO_PROJECT_ID from the environment", async () => {
    process.env.PHOSPHO_API_KEY = "env_key_123";
    process.env.PHOSPHO_PROJECT_ID = "env_project";
    process.env.PHOSPHO_BASE_URL = setup.collector.url;
    phospho.init();
    await phospho.log({ input: "from env", output: "ok" });
    expect(await phospho.flush(5000)).toBe(true);
    const request = setup.collector.requests.at(-1);
    expect(request?.path).toBe("/v2/log/env_project");
    expect(request?.authorization).toBe("Bearer env_key_123");
  });

  it("phospho.init({ apiKey, projectId }) uses the explicit options over the environment", async () => {
    process.env.PHOSPHO_API_KEY = "env_key_123";
    process.env.PHOSPHO_PROJECT_ID = "env_project";
    phospho.init({ apiKey: "api_key", projectId: "project_id", baseUrl: setup.collector.url });
    await phospho.log({ input: "explicit", output: "ok" });
    expect(await phospho.flush(5000)).toBe(true);
    expect(setup.collector.requests.at(-1)?.path).toBe("/v2/log/project_id");
    expect(setup.collector.requests.at(-1)?.authorization).toBe("Bearer api_key");
  });

  it("logs text inputs and outputs", async () => {
    phospho.init({ apiKey: "api_key", projectId: "project_id", baseUrl: setup.collector.url });
    const question = "What's the capital of Fashion?";

    const myAgent = (_query: string) => {
      return "It's Paris of course.";
    };

    phospho.log({
      input: question,
      output: myAgent(question),
    });
    expect(await phospho.flush(5000)).toBe(true);
    expect(setup.collector.events).toHaveLength(1);
    expect(setup.collector.events[0]).toMatchObject({ input: question, output: "It's Paris of course." });
  });

  it("logs null when no output is passed", async () => {
    phospho.init({ apiKey: "api_key", projectId: "project_id", baseUrl: setup.collector.url });
    const logged = await phospho.log({ input: "only an input" });
    expect(logged.output).toBeNull();
    await phospho.flush(5000);
    expect(setup.collector.events[0]?.output).toBeNull();
  });

  it("extracts input and output from an OpenAI query and its (pending) completion", async () => {
    phospho.init({ apiKey: "api_key", projectId: "project_id", baseUrl: setup.collector.url });
    const question = "What's the capital of Fashion?";
    const query = { ...frogQuery(), stream: false as const };
    const result = setup.openai.chat.completions.create(query);
    const loggedContent = await phospho.log({ input: query, output: result });

    expect(loggedContent.input).toBe(question);
    expect(loggedContent.output).toBe("It's Paris of course.");
    expect(loggedContent.raw_input).toMatchObject({ model: "gpt-3.5-turbo", seed: 123 });
    expect(loggedContent.raw_output).toMatchObject({ id: "chatcmpl-fake", object: "chat.completion" });
    expect(loggedContent.raw_output_type_name).not.toBe("Promise");
    expect(loggedContent.model).toBe("gpt-3.5-turbo-0125");
    expect(loggedContent.system_prompt).toContain("helpful frog");
    expect(loggedContent).toMatchObject({ prompt_tokens: 31, completion_tokens: 7, total_tokens: 38 });
    expect(loggedContent.task_id).toMatch(/^task_[0-9a-f]{32}$/);

    expect(await phospho.flush(5000)).toBe(true);
    const sent = setup.collector.events.find((e) => e.task_id === loggedContent.task_id);
    expect(sent).toMatchObject({ input: question, output: "It's Paris of course.", prompt_tokens: 31 });
    expect(sent).not.toHaveProperty("usage");
    expect(Number.isInteger(sent?.client_created_at)).toBe(true);
  });

  it("uses custom extractors and keeps the originals in raw_input / raw_output", async () => {
    phospho.init({ apiKey: "api_key", projectId: "project_id", baseUrl: setup.collector.url });
    const logged = await phospho.log({
      input: { custom_input: "this is a complex object" },
      output: { custom_output: "which is not a string nor a standard object" },
      // Custom extractors return a string
      inputToStrFunction: (x) => x.custom_input,
      outputToStrFunction: (x) => x.custom_output,
    });
    expect(logged.input).toBe("this is a complex object");
    expect(logged.output).toBe("which is not a string nor a standard object");
    expect(logged.raw_input).toEqual({ custom_input: "this is a complex object" });
    await phospho.flush(5000);
    expect(setup.collector.events[0]).toMatchObject({
      input: "this is a complex object",
      raw_output: { custom_output: "which is not a string nor a standard object" },
    });
  });

  it("logs metadata and every extra keyword as metadata", async () => {
    phospho.init({ apiKey: "api_key", projectId: "project_id", baseUrl: setup.collector.url });
    const log = phospho.log({
      input: "log this",
      output: "and that",
      // There is a metadata field
      metadata: { always: "moooore" },
      // Every extra keyword argument is logged as metadata
      log_anything_and_everything: "even this is ok",
    });
    expect((await log).metadata).toEqual({
      always: "moooore",
      log_anything_and_everything: "even this is ok",
    });
    await phospho.flush(5000);
    expect(setup.collector.events[0]?.metadata).toEqual({
      always: "moooore",
      log_anything_and_everything: "even this is ok",
    });
    expect(setup.collector.events[0]).not.toHaveProperty("log_anything_and_everything");
  });

  it("logs a streamed OpenAI response as one task once the loop is over", async () => {
    phospho.init({ apiKey: "api_key", projectId: "project_id", baseUrl: setup.collector.url });
    const query = { ...frogQuery(), stream: true as const };
    const streamedResult = await setup.openai.chat.completions.create(query);

    phospho.log({ input: query, output: streamedResult, stream: true });

    let printed = "";
    for await (const chunk of streamedResult) {
      printed += chunk.choices[0]?.delta?.content || "";
    }
    expect(printed).toBe("It's Paris of course.");
    expect(await phospho.flush(5000)).toBe(true);
    expect(setup.collector.events).toHaveLength(1);
    expect(setup.collector.events[0]).toMatchObject({
      input: "What's the capital of Fashion?",
      output: "It's Paris of course.",
      stream_status: "completed",
      prompt_tokens: 31,
      completion_tokens: 7,
      total_tokens: 38,
      model: "gpt-3.5-turbo",
    });
    expect(typeof setup.collector.events[0]?.latency_ms).toBe("number");
    expect(typeof setup.collector.events[0]?.time_to_first_token_ms).toBe("number");
  });

  it("`import phospho from` (default export) is the same singleton, and `new Phospho()` is independent", () => {
    expect(phospho).toBeInstanceOf(Phospho);
    expect(new Phospho()).not.toBe(phospho);
  });
});
