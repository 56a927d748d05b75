/**
 * Realistic data for the browser tests and the screenshots. Recent tasks go through the real SDK
 * (packages/phospho/dist) exactly as an app would log them: OpenAI-shaped queries and completions with usage,
 * user, version, session and metadata. History (tasks dated days ago, which the SDK cannot backdate) goes
 * through `POST /v2/log` with `created_at`, as an upstream client backfilling would send it.
 */
import { Phospho } from "../../../phospho/dist/index.js";

const CONVERSATIONS: Array<Array<[string, string]>> = [
  [
    [
      "Plan a 3-day trip to Lisbon in May.",
      "**Day 1**: Alfama and the castle.\n\n**Day 2**: Belém — the tower and *pastéis de nata*.\n\n**Day 3**: a day trip to Sintra.",
    ],
    ["Where should I stay?", "Chiado or Baixa: central, walkable, close to the tram lines."],
    ["Is the 28 tram worth it?", "Yes, early in the morning before the queues. Keep an eye on pickpockets."],
  ],
  [
    [
      "What is the cheapest way from Paris to Amsterdam?",
      "A Flixbus overnight coach, often under €30. The Eurostar takes 3h20 from ~€45 booked early.",
    ],
    ["And with a bike?", "Take a TGV to Brussels with a bike booking, then an Intercity to Amsterdam."],
  ],
  [
    ["Translate 'where is the train station' into Japanese.", "駅はどこですか？ (*eki wa doko desu ka?*)"],
    ["And 'thank you very much'?", "どうもありがとうございます (*dōmo arigatō gozaimasu*)."],
  ],
  [
    [
      "Do I need a visa for Canada with a French passport?",
      "No visa, but an **eTA** (CAD 7) before flying. Apply online; it usually arrives within minutes.",
    ],
  ],
  [
    [
      "Give me a packing list for a week of hiking in Iceland.",
      "- Waterproof jacket and trousers\n- Merino base layers\n- Broken-in boots\n- Hat, gloves, buff\n- Power bank, headlamp",
    ],
    [
      "Should I rent a 4x4?",
      "Only for the F-roads (highlands, open July–September). The Ring Road is fine with a 2WD.",
    ],
  ],
  [
    [
      "Find me a vegetarian restaurant near the Colosseum.",
      "Try *Aromaticus* (Via Urbana) or *Romeow Cat Bistrot* in Ostiense. Book ahead on weekends.",
    ],
  ],
  [
    [
      "How early should I get to Heathrow for a long-haul flight?",
      "Three hours before departure; two is usually enough with online check-in and hand luggage only.",
    ],
    [
      "Which terminal does British Airways use?",
      "Mostly Terminal 5, some flights from Terminal 3. Check your booking.",
    ],
  ],
  [["Convert 250 USD to EUR.", "About **€230** at today's rate. Card payments abroad may add a 1–3% fee."]],
];

const MODELS = ["gpt-4o-mini", "gpt-4o", "claude-3-5-sonnet"];
const VERSIONS = ["prompt-v1", "prompt-v2"];
const PLANS = ["free", "pro", "team"];
const SYSTEM = "You are a concise, friendly travel assistant. Answer in Markdown.";

/** A small deterministic generator, so every run logs the same data. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface SeedTask {
  taskId: string;
  sessionId: string;
  userId: string;
  model: string;
  version: string;
  plan: string;
  input: string;
  output: string;
  flag: "success" | "failure" | null;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
}

/** `count` conversations' worth of tasks (sessions of 1–3 turns). */
export function makeTasks(conversations: number, seed = 42, prefix = "t"): SeedTask[] {
  const rnd = random(seed);
  const out: SeedTask[] = [];
  for (let c = 0; c < conversations; c++) {
    const convo = CONVERSATIONS[c % CONVERSATIONS.length] ?? [];
    const userId = `user_${1 + Math.floor(rnd() * 9)}`;
    const model = MODELS[Math.floor(rnd() * MODELS.length)] ?? "gpt-4o";
    const version = VERSIONS[Math.floor(rnd() * VERSIONS.length)] ?? "prompt-v1";
    const plan = PLANS[Math.floor(rnd() * PLANS.length)] ?? "free";
    convo.forEach(([input, output], turn) => {
      const r = rnd();
      const good = version === "prompt-v2" ? 0.8 : 0.6;
      out.push({
        taskId: `${prefix}${c}_${turn}`,
        sessionId: `${prefix}session_${c}`,
        userId,
        model,
        version,
        plan,
        input,
        output,
        flag: r < 0.55 ? (rnd() < good ? "success" : "failure") : null,
        latencyMs: Math.round(300 + rnd() * 1800 + (model === "gpt-4o" ? 600 : 0)),
        promptTokens: 40 + Math.round(rnd() * 400),
        completionTokens: 20 + Math.round(rnd() * 250),
      });
    });
  }
  return out;
}

function openAiShapes(t: SeedTask) {
  const input = {
    model: t.model,
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: t.input },
    ],
  };
  const output = {
    id: `chatcmpl-${t.taskId}`,
    object: "chat.completion",
    model: t.model,
    choices: [{ index: 0, message: { role: "assistant", content: t.output }, finish_reason: "stop" }],
    usage: {
      prompt_tokens: t.promptTokens,
      completion_tokens: t.completionTokens,
      total_tokens: t.promptTokens + t.completionTokens,
    },
  };
  return { input, output };
}

/** Logs through the real SDK and waits for delivery. */
export async function logWithSdk(
  baseUrl: string,
  projectId: string,
  apiKey: string,
  tasks: SeedTask[],
  extra: Array<Record<string, unknown>> = [],
) {
  const client = new Phospho();
  client.init({
    apiKey,
    projectId,
    baseUrl,
    flushIntervalMs: 50,
    onError: (e) => console.warn(`[seed] ${e.message}`),
  });
  for (const t of tasks) {
    const { input, output } = openAiShapes(t);
    void client.log({
      input,
      output,
      taskId: t.taskId,
      sessionId: t.sessionId,
      userId: t.userId,
      versionId: t.version,
      ...(t.flag && { flag: t.flag }),
      environment: "production",
      latency_ms: t.latencyMs,
      metadata: { plan: t.plan, channel: "web" },
    });
  }
  for (const params of extra) void client.log(params);
  const delivered = await client.flush(10_000);
  await client.shutdown(5_000);
  if (!delivered) throw new Error("the SDK could not deliver the seed tasks");
}

/**
 * Backfills history through the wire format (`created_at` in seconds), spread evenly between `maxAgeDays` and
 * `minAgeDays` ago. Returns each task's time in ms.
 */
export async function backfill(
  origin: string,
  projectId: string,
  apiKey: string,
  tasks: SeedTask[],
  ages: { minAgeDays: number; maxAgeDays: number },
  now = Date.now(),
): Promise<Map<string, number>> {
  const span = (ages.maxAgeDays - ages.minAgeDays) * 86_400;
  const times = new Map<string, number>();
  const events = tasks.map((t, i) => {
    // Later tasks are newer, so the turns of a session stay in order.
    const age = ages.minAgeDays * 86_400 + Math.floor(((tasks.length - i) / tasks.length) * span);
    times.set(t.taskId, (Math.floor(now / 1000) - age) * 1000);
    const { input, output } = openAiShapes(t);
    return {
      task_id: t.taskId,
      session_id: t.sessionId,
      input: t.input,
      output: t.output,
      raw_input: input,
      raw_output: output,
      created_at: Math.floor(now / 1000) - age,
      user_id: t.userId,
      version_id: t.version,
      model: t.model,
      system_prompt: SYSTEM,
      prompt_tokens: t.promptTokens,
      completion_tokens: t.completionTokens,
      total_tokens: t.promptTokens + t.completionTokens,
      latency_ms: t.latencyMs,
      environment: "production",
      ...(t.flag && { flag: t.flag }),
      metadata: { plan: t.plan, channel: "web" },
    };
  });
  for (let i = 0; i < events.length; i += 100) {
    const response = await fetch(`${origin}/v2/log/${projectId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ batched_log_events: events.slice(i, i + 100) }),
    });
    if (!response.ok) throw new Error(`backfill failed: ${response.status} ${await response.text()}`);
  }
  return times;
}
