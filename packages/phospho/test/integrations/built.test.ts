// The subpath exports as an app uses them: `phospho/openai` (ESM and CommonJS) resolves through the package's
// `exports`, logs through the app's own default `phospho` client (one core, not a bundled copy), and the core
// bundle contains no wrapper code.

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, packageDir, repoRoot } from "../helpers/built.js";
import { startCollector, type TestCollector } from "../helpers/collector.js";
import { type FakeProviders, startFakeProviders } from "./fake-providers.js";

const run = promisify(execFile);
let collector: TestCollector;
let fake: FakeProviders;

const ENTRIES = ["openai", "anthropic", "ai-sdk"].flatMap((name) =>
  ["index.js", "index.cjs", "index.d.ts", "index.d.cts"].map((file) => `dist/integrations/${name}/${file}`),
);

beforeAll(async () => {
  ensureBuilt();
  const missing = ENTRIES.filter((file) => !existsSync(join(packageDir, file)));
  if (missing.length > 0)
    throw new Error(`stale build, run npm run build -w packages/phospho: ${missing.join(", ")}`);
  collector = await startCollector();
  fake = await startFakeProviders();
});

afterAll(async () => {
  await collector.close();
  await fake.close();
});

const env = () => ({
  ...process.env,
  PHOSPHO_API_KEY: "child_key",
  PHOSPHO_PROJECT_ID: "child_project",
  PHOSPHO_BASE_URL: collector.url,
});

// Run from the repository root, where `phospho` and `openai` resolve through node_modules as in an app.
const SCRIPT = (importLines: string, label: string) => `${importLines}
const baseURL = ${JSON.stringify(fake.openaiBaseUrl)};
phospho.init();
const openai = wrapOpenAI(new OpenAI({ apiKey: "sk-fake", baseURL, maxRetries: 0 }));
openai.chat.completions
  .create({ model: "gpt-4o", messages: [{ role: "user", content: ${JSON.stringify(label)} }] })
  .then(() => phospho.flush(5000))
  .then((ok) => { if (!ok) process.exit(3); });
`;

describe("subpath exports", () => {
  it("phospho/openai from ESM logs through the app's default client", async () => {
    const code = SCRIPT(
      `import OpenAI from "openai";\nimport { phospho } from "phospho";\nimport { wrapOpenAI } from "phospho/openai";`,
      "from esm",
    );
    await run(process.execPath, ["--input-type=module", "-e", code], {
      cwd: repoRoot,
      env: env(),
      timeout: 20_000,
    });
    expect(collector.events.map((e) => e.input)).toContain("from esm");
  });

  it("phospho/openai from CommonJS too", async () => {
    const code = SCRIPT(
      `const OpenAI = require("openai");\nconst { phospho } = require("phospho");\nconst { wrapOpenAI } = require("phospho/openai");`,
      "from cjs",
    );
    await run(process.execPath, ["-e", code], { cwd: repoRoot, env: env(), timeout: 20_000 });
    expect(collector.events.map((e) => e.input)).toContain("from cjs");
  });

  it("the core bundle holds no wrapper code, and the wrappers import the core rather than copy it", async () => {
    const core = await readFile(join(packageDir, "dist/index.js"), "utf8");
    expect(core).not.toContain("phospho.patched");
    const wrapper = await readFile(join(packageDir, "dist/integrations/openai/index.js"), "utf8");
    expect(wrapper).toMatch(/from ['"]phospho['"]/);
    expect(wrapper).not.toContain("class Phospho");
  });
});
