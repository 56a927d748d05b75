// Builds a `Phospho` client pointed at a test collector, with fast retries, collecting every `onError`.

import { Phospho, type PhosphoError, type PhosphoOptions } from "../../src/node.js";
import type { TestCollector } from "./collector.js";

export const TEST_KEY = "phk_test_SECRET_do_not_leak_42";

export function testClient(
  collector: TestCollector,
  options: PhosphoOptions = {},
): { client: Phospho; errors: PhosphoError[] } {
  const errors: PhosphoError[] = [];
  const client = new Phospho();
  void client.init({
    apiKey: TEST_KEY,
    projectId: "proj_test",
    baseUrl: collector.url,
    flushIntervalMs: 50,
    retryInitialDelayMs: 20,
    retryMaxDelayMs: 200,
    requestTimeoutMs: 2000,
    onError: (error) => errors.push(error),
    ...options,
  });
  return { client, errors };
}
