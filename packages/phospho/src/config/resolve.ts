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

function positive(option: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const ok = typeof value === "number" && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok) {
    throw new PhosphoConfigError(
      option,
      `${option} must be a ${allowZero ? "non-negative" : "positive"} number, got ${String(value)}`,
    );
  }
  return value;
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
    throw new PhosphoConfigError(
      "pathToHash",
      "pathToHash must be a directory path, a list of them, or null",
    );
  }
  return list.length > 0 ? [...list] : undefined;
}

export function resolveConfig(options: PhosphoOptions): ResolvedConfig {
  const baseUrl = (options.baseUrl ?? readEnv("PHOSPHO_BASE_URL") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  if (!/^https?:\/\//.test(baseUrl)) {
    throw new PhosphoConfigError("baseUrl", `baseUrl must start with http:// or https://, got "${baseUrl}"`);
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
  return {
    apiKey: required("apiKey", "PHOSPHO_API_KEY", options.apiKey),
    projectId: required("projectId", "PHOSPHO_PROJECT_ID", options.projectId),
    baseUrl,
    versionId: options.versionId,
    pathToHash: hashRoots(options.pathToHash),
    environment: options.environment,
    batchSize: Math.floor(positive("batchSize", options.batchSize, 50)),
    maxBatchBytes: positive("maxBatchBytes", options.maxBatchBytes, 1_000_000),
    flushIntervalMs:
      options.flushIntervalMs === undefined && options.tick !== undefined
        ? positive("tick", options.tick, 1000)
        : positive("flushIntervalMs", options.flushIntervalMs, 1000),
    maxQueueEvents: Math.floor(positive("maxQueueEvents", options.maxQueueEvents, 10_000)),
    maxQueueBytes: positive("maxQueueBytes", options.maxQueueBytes, 10_000_000),
    maxRetries: Math.floor(positive("maxRetries", options.maxRetries, 8, true)),
    retryInitialDelayMs: positive("retryInitialDelayMs", options.retryInitialDelayMs, 500, true),
    retryMaxDelayMs: positive("retryMaxDelayMs", options.retryMaxDelayMs, 30_000, true),
    requestTimeoutMs: positive("requestTimeoutMs", options.requestTimeoutMs, 10_000),
    shutdownTimeoutMs: positive("shutdownTimeoutMs", options.shutdownTimeoutMs, 5000, true),
    maxContentChars: Math.floor(positive("maxContentChars", options.maxContentChars, 100_000)),
    maxRawChars: Math.floor(positive("maxRawChars", options.maxRawChars, 200_000)),
    fetch: fetchImpl,
    onError: options.onError,
    mask: options.mask,
    sampleRate,
    waitUntil: options.waitUntil,
    spoolDir: options.spoolDir,
    maxSpoolBytes: positive("maxSpoolBytes", options.maxSpoolBytes, 50_000_000),
  };
}
