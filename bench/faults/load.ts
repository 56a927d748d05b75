/** The SDK side of a fault: a client with fault-friendly options and a steady logger with known task ids. */
import { setTimeout as sleep } from "node:timers/promises";
import { loadSdk, readStats, type PhosphoClient, type SdkStats } from "../lib/sdk.js";
import { ANSWER, QUESTION } from "../lib/payloads.js";

export async function faultClient(
  baseUrl: string,
  projectId: string,
  apiKey: string,
  extra: Record<string, unknown> = {},
) {
  const { Phospho } = await loadSdk();
  const client = new Phospho();
  const errors: string[] = [];
  client.init({
    apiKey,
    projectId,
    baseUrl,
    flushIntervalMs: 200,
    onError: (e: Error) => errors.push(e.message),
    ...extra,
  });
  return { client, errors };
}

/** Logs events at `perSecond` until `stop()` is called; every event has a known task id and a session of 10. */
export function steadyLoad(client: PhosphoClient, prefix: string, perSecond: number) {
  const ids: string[] = [];
  let running = true;
  const done = (async () => {
    const tick = 20;
    const perTick = Math.max(1, Math.round((perSecond * tick) / 1000));
    while (running) {
      for (let j = 0; j < perTick; j++) {
        const i = ids.length;
        const taskId = `${prefix}_${i}`;
        ids.push(taskId);
        client.log({
          taskId,
          sessionId: `${prefix}_s${Math.floor(i / 10)}`,
          input: `${QUESTION} #${i}`,
          output: ANSWER,
        });
      }
      await sleep(tick);
    }
  })();
  return {
    ids,
    async stop() {
      running = false;
      await done;
    },
  };
}

export function stats(client: PhosphoClient): SdkStats {
  return readStats(client);
}
