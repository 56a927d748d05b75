/**
 * The attacks of the security review (issue 13), run together for a bounded time against the real binary while
 * the SDK logs and a probe calls `/v2/health`:
 * - nested bodies: 10 MB of `[` to `/v2/log` without a key, to the key-less `/flag`, and with a valid key;
 * - slow bodies: many sockets that send one body byte a second and never finish;
 * - hostile search: 500 identical letters against rows holding long runs of that letter.
 * Attackers connect from 127.0.0.2–4 (any 127.x address reaches the loopback), the probe and the SDK from
 * 127.0.0.1, so the per-address connection cap applies to the attackers only. Checks: every probe answered within
 * 1 s, the collector's RSS stayed under RSS_BOUND_BYTES, slow sockets were cut, no attack got a 5xx.
 */
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startCollector, type Collector } from "../lib/collector.js";
import { storedTasks } from "../lib/store.js";
import { faultClient, stats, steadyLoad } from "./load.js";
import { accountFor, type FaultContext, type FaultResult } from "./types.js";

/** The documented bound (docs/PERFORMANCE.md, packages/server/README.md): RSS under attack stays below it. */
export const RSS_BOUND_BYTES = 512 * 1024 * 1024;
/**
 * Health must answer within 1 s under attack: checked by the full run (`npm run faults`), alone on the machine.
 * The quick run inside the test suite shares the cores with the other test files, which can starve the collector
 * for a second or two on 2 cores; there the check asks for 5 s, which still catches the freezes the review found
 * (health failing outright, searches of 12 s to 113 s).
 */
const PROBE_BOUND_MS = 1_000;
const QUICK_PROBE_BOUND_MS = 5_000;
const NESTED_BYTES = 10 * 1024 * 1024;
const SLOW_SOCKETS = 150;

interface Tally {
  requests: number;
  statuses: Record<string, number>;
}

function count(tally: Tally, status: number | string): void {
  tally.requests += 1;
  tally.statuses[String(status)] = (tally.statuses[String(status)] ?? 0) + 1;
}

/** One POST with a body streamed in 1 MiB chunks; resolves to the status, or "reset" when the socket was cut. */
function post(
  collector: Collector,
  pathname: string,
  body: { size: number; fill: string },
  headers: Record<string, string>,
  localAddress: string,
): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: collector.port,
        path: pathname,
        method: "POST",
        localAddress,
        agent: false,
        headers: { "content-type": "application/json", "content-length": String(body.size), ...headers },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve("reset"));
    const chunk = Buffer.alloc(1024 * 1024, body.fill);
    let left = body.size;
    const pump = (): void => {
      while (left > 0) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!req.write(piece)) {
          req.once("drain", pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

async function nestedBodies(collector: Collector, until: number, tally: Tally): Promise<void> {
  const key = { authorization: `Bearer ${collector.apiKey}` };
  const targets: Array<[string, Record<string, string>]> = [
    [`/v2/log/${collector.projectId}`, {}],
    ["/v2/tasks/any/flag", {}],
    [`/v2/log/${collector.projectId}`, key],
  ];
  for (let i = 0; Date.now() < until; i++) {
    const [pathname, headers] = targets[i % targets.length]!;
    count(tally, await post(collector, pathname, { size: NESTED_BYTES, fill: "[" }, headers, "127.0.0.2"));
  }
}

/** Keeps SLOW_SOCKETS sockets trickling a body; counts the sockets the collector cut. */
async function slowBodies(collector: Collector, until: number): Promise<{ opened: number; cut: number }> {
  const sockets = new Set<Socket>();
  let opened = 0;
  let cut = 0;
  const open = (): void => {
    if (Date.now() >= until) return;
    const socket = connect({ host: "127.0.0.1", port: collector.port, localAddress: "127.0.0.3" });
    opened += 1;
    sockets.add(socket);
    socket.on("connect", () =>
      socket.write(
        `POST /v2/log/${collector.projectId} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${collector.apiKey}\r\n` +
          "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{",
      ),
    );
    socket.on("error", () => {});
    socket.on("data", () => {});
    socket.on("close", () => {
      sockets.delete(socket);
      if (Date.now() < until) {
        cut += 1;
        setTimeout(open, 100);
      }
    });
  };
  for (let i = 0; i < SLOW_SOCKETS; i++) open();
  while (Date.now() < until) {
    for (const socket of sockets) if (!socket.destroyed) socket.write(" ");
    await sleep(1_000);
  }
  for (const socket of sockets) socket.destroy();
  return { opened, cut };
}

async function hostileSearch(collector: Collector, until: number, tally: Tally): Promise<void> {
  const body = JSON.stringify({ filters: { search: "a".repeat(500) }, limit: 50 });
  while (Date.now() < until) {
    const size = Buffer.byteLength(body);
    const status = await new Promise<number | string>((resolve) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: collector.port,
          path: `/v2/projects/${collector.projectId}/tasks`,
          method: "POST",
          localAddress: "127.0.0.4",
          agent: false,
          headers: {
            authorization: `Bearer ${collector.apiKey}`,
            "content-type": "application/json",
            "content-length": String(size),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve("reset"));
      req.end(body);
    });
    count(tally, status);
  }
}

/**
 * Rows for the hostile search: 1% hold long runs of one letter (runs of 499, so 500 letters never match). Sent in
 * batches of 100 so that each stays well inside the short request timeout this fault sets, on a loaded machine too;
 * a batch that still times out (408) or meets a busy store (503) is sent again: ingest is idempotent by task id.
 */
async function seedSearchRows(collector: Collector, tasks: number): Promise<void> {
  for (let start = 0; start < tasks; start += 100) {
    const events = [];
    for (let i = start; i < Math.min(tasks, start + 100); i++) {
      events.push({
        task_id: `seed_${i}`,
        input: i % 100 === 0 ? `${"a".repeat(499)}b`.repeat(40) : `an ordinary question number ${i}`,
      });
    }
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${collector.baseUrl}/log/${collector.projectId}`, {
        method: "POST",
        headers: { authorization: `Bearer ${collector.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ batched_log_events: events }),
      });
      if (res.status === 200) break;
      const detail = `${res.status} ${await res.text()}`;
      if (attempt >= 5 || ![408, 503].includes(res.status))
        throw new Error(`seeding the search rows: ${detail}`);
      await sleep(200 * attempt);
    }
  }
}

export async function attacks(ctx: FaultContext): Promise<FaultResult> {
  const db = path.join(ctx.workDir, "attacks.db");
  const seconds = ctx.quick ? 6 : 20;
  const collector = await startCollector({
    db,
    env: {
      PHOSPHO_REQUEST_TIMEOUT_MS: "3000",
      PHOSPHO_HEADERS_TIMEOUT_MS: "2000",
      PHOSPHO_MAX_CONNECTIONS_PER_ADDRESS: "100",
    },
  });
  try {
    ctx.progress("faults: seeding rows for the hostile search");
    await seedSearchRows(collector, ctx.quick ? 5_000 : 20_000);
    const { client } = await faultClient(collector.baseUrl, collector.projectId, collector.apiKey);
    const load = steadyLoad(client, "dos", 100);
    const until = Date.now() + seconds * 1000;
    let peakRss = collector.rss();
    const rssSampler = setInterval(() => (peakRss = Math.max(peakRss, collector.rss())), 100);
    const probe = probeHealth(collector, until);
    ctx.progress(`faults: nested bodies, slow bodies and hostile search for ${seconds} s`);
    const nested: Tally = { requests: 0, statuses: {} };
    const search: Tally = { requests: 0, statuses: {} };
    const [, slow] = await Promise.all([
      Promise.all([nestedBodies(collector, until, nested), nestedBodies(collector, until, nested)]),
      slowBodies(collector, until),
      hostileSearch(collector, until, search),
      probe,
    ]);
    const { probes, probeFailures } = await probe;
    clearInterval(rssSampler);
    await load.stop();
    const delivered = await client.flush(60_000);
    const s = stats(client);
    await client.shutdown(1_000);
    const stored = await storedTasks(db, collector.projectId);
    const result = accountFor(
      `nested, slow and search attacks for ${seconds} s`,
      load.ids,
      new Set(),
      stored.ids,
      s.dropped,
    );
    result.acknowledged = s.sent;
    const slowest = Math.max(...probes);
    const fiveHundreds = (t: Tally) =>
      Object.entries(t.statuses)
        .filter(([status]) => status.startsWith("5"))
        .reduce((sum, [, n]) => sum + n, 0);
    const show = (t: Tally) =>
      Object.entries(t.statuses)
        .map(([status, n]) => `${n}×${status}`)
        .join(" ");
    result.checks.push(
      {
        what: `health answered within ${(ctx.quick ? QUICK_PROBE_BOUND_MS : PROBE_BOUND_MS) / 1000} s`,
        ok: probeFailures === 0 && slowest < (ctx.quick ? QUICK_PROBE_BOUND_MS : PROBE_BOUND_MS),
        detail: `${probes.length} probes, slowest ${slowest.toFixed(0)} ms, ${probeFailures} failed`,
      },
      {
        what: `RSS under ${RSS_BOUND_BYTES / 2 ** 20} MiB`,
        ok: peakRss < RSS_BOUND_BYTES,
        detail: `peak ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
      },
      {
        what: "slow bodies cut",
        ok: slow.cut > 0,
        detail: `${slow.opened} sockets opened, ${slow.cut} cut by the collector`,
      },
      {
        what: "nested bodies refused, never a 5xx",
        ok: nested.requests > 0 && fiveHundreds(nested) === 0,
        detail: `${nested.requests} bodies of 10 MiB: ${show(nested)}`,
      },
      {
        what: "hostile searches answered, never a 5xx",
        ok: search.requests > 0 && fiveHundreds(search) === 0,
        detail: `${search.requests} searches: ${show(search)}`,
      },
      {
        what: "everything delivered",
        ok: delivered && result.stored === result.logged,
        detail: `flush → ${delivered}`,
      },
    );
    return result;
  } finally {
    await collector.stop();
  }
}

/** Calls `/v2/health` every 100 ms until `until`: each probe's time, and the probes that failed. */
export async function probeHealth(
  collector: Collector,
  until: number,
): Promise<{ probes: number[]; probeFailures: number }> {
  const probes: number[] = [];
  let probeFailures = 0;
  while (Date.now() < until) {
    const started = performance.now();
    try {
      const res = await fetch(`${collector.origin}/v2/health`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status !== 200) probeFailures += 1;
    } catch {
      probeFailures += 1;
    }
    probes.push(performance.now() - started);
    await sleep(100);
  }
  return { probes, probeFailures };
}
