// Applies environment and defaults to the options, and checks them. Explicit options win over the environment.

import { PhosphoConfigError } from "../errors.js";
import { readEnv } from "./env.js";
import { DEFAULT_BASE_URL, type PhosphoOptions, type ResolvedConfig } from "./options.js";

/** `true` when the options or `PHOSPHO_DISABLED` turn the SDK off. */
export function isDisabled(options: PhosphoOptions): boolean {
  if (options.enabled !== undefined) return !options.enabled;
  const flag = readEnv("PHOSPHO_DISABLED");
  return flag === "1" || flag?.toLowerCase() === "true";
}

/**
 * The numeric options: default, and flags: `0` allows zero, `i` rounds down to an integer. One table rather than
 * a call per option, so each name is written once.
 */
const NUMBERS = {
  batchSize: [50, "i"],
  maxBatchBytes: [1_000_000, ""],
  flushIntervalMs: [1000, ""],
  maxQueueEvents: [10_000, "i"],
  maxQueueBytes: [10_000_000, ""],
  maxRetries: [8, "0i"],
  retryInitialDelayMs: [500, "0"],
  retryMaxDelayMs: [30_000, "0"],
  requestTimeoutMs: [10_000, ""],
  shutdownTimeoutMs: [5000, "0"],
  maxContentChars: [100_000, "i"],
  maxRawChars: [200_000, "i"],
  maxSpoolBytes: [50_000_000, ""],
} as const;

type NumberOption = keyof typeof NUMBERS;

function positive(option: string, value: unknown, fallback: number, flags: string): number {
  if (value === undefined) return fallback;
  const zero = flags.includes("0");
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!zero && value === 0)) {
    throw new PhosphoConfigError(
      option,
      `${option} must be a ${zero ? "non-negative" : "positive"} number, got ${String(value)}`,
    );
  }
  return flags.includes("i") ? Math.floor(value) : value;
}

function required(option: string, envVar: string, value: string | undefined): string {
  const resolved = value ?? readEnv(envVar);
  if (resolved === undefined || resolved.trim() === "") {
    throw new PhosphoConfigError(
      option,
      `${envVar} is not set: pass ${option} to phospho.init() or set the environment variable`,
      envVar,
    );
  }
  return resolved;
}

/** The directories to hash: one, several, or none (`null`, absent or empty). */
function hashRoots(value: PhosphoOptions["pathToHash"]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((item) => typeof item === "string" && item !== "")) {
    throw new PhosphoConfigError("pathToHash", "pathToHash must be a directory, a list of them, or null");
  }
  return list.length > 0 ? [...list] : undefined;
}

export function resolveConfig(options: PhosphoOptions): ResolvedConfig {
  const baseUrl = (options.baseUrl ?? readEnv("PHOSPHO_BASE_URL") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  if (!/^https?:\/\//.test(baseUrl)) {
    throw new PhosphoConfigError("baseUrl", `baseUrl must be an http(s) URL, got "${baseUrl}"`);
  }
  const sampleRate = options.sampleRate ?? 1;
  if (typeof sampleRate !== "number" || !(sampleRate >= 0 && sampleRate <= 1)) {
    throw new PhosphoConfigError(
      "sampleRate",
      `sampleRate must be a number from 0 to 1, got ${String(sampleRate)}`,
    );
  }
  const fetchImpl = options.fetch;
  if (fetchImpl !== undefined && typeof fetchImpl !== "function") {
    throw new PhosphoConfigError("fetch", "fetch must be a function");
  }
  // phospho 1.3's `tick` is `flushIntervalMs` under its old name.
  const given: Partial<Record<NumberOption, unknown>> = { ...options };
  let tick = "flushIntervalMs";
  if (options.flushIntervalMs === undefined && options.tick !== undefined) {
    given.flushIntervalMs = options.tick;
    tick = "tick";
  }
  const numbers = {} as Record<NumberOption, number>;
  for (const [key, [fallback, flags]] of Object.entries(NUMBERS) as Array<[NumberOption, [number, string]]>) {
    numbers[key] = positive(key === "flushIntervalMs" ? tick : key, given[key], fallback, flags);
  }
  // The options taken as given (`versionId`, `environment`, `fetch`, `onError`, `mask`, `waitUntil`,
  // `spoolDir`) come with the spread; the others are replaced by their checked values.
  return {
    ...options,
    ...numbers,
    apiKey: required("apiKey", "PHOSPHO_API_KEY", options.apiKey),
    projectId: required("projectId", "PHOSPHO_PROJECT_ID", options.projectId),
    baseUrl,
    pathToHash: hashRoots(options.pathToHash),
    sampleRate,
  };
}
