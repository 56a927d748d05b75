/** Timed HTTP requests for the query benchmark: the time until the whole body has been read. */

export interface Timed {
  ms: number;
  status: number;
  bytes: number;
  body: string;
}

export async function timedGet(url: string, headers: Record<string, string> = {}): Promise<Timed> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const body = await res.text();
  return { ms: performance.now() - t0, status: res.status, bytes: Buffer.byteLength(body), body };
}

/** Streams a response to the end without keeping it, for exports: time to first byte, total time, size. */
export async function timedStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ttfbMs: number; ms: number; bytes: number; lines: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  let ttfbMs = Number.NaN;
  let bytes = 0;
  let lines = 0;
  const body = (res.body ?? []) as unknown as AsyncIterable<Uint8Array>;
  for await (const buf of body) {
    if (Number.isNaN(ttfbMs)) ttfbMs = performance.now() - t0;
    bytes += buf.length;
    for (const b of buf) if (b === 10) lines += 1;
  }
  return { ttfbMs, ms: performance.now() - t0, bytes, lines, status: res.status };
}

/** Signs in to the dashboard API with a project API key and returns the cookie header to send. */
export async function dashboardCookie(origin: string, apiKey: string): Promise<string> {
  const res = await fetch(`${origin}/api/signin`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ apiKey }),
  });
  if (!res.ok) throw new Error(`dashboard sign-in failed: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (cookies.length === 0) throw new Error("dashboard sign-in set no cookie");
  return cookies.join("; ");
}

/**
 * A raw request with node:http: exact bytes and headers, and the reply is read even when the server answers
 * before the upload has finished (an early 413) and then closes the connection — which `fetch` reports as a
 * network error.
 */
export async function rawRequest(
  url: string,
  opts: { method: string; headers: Record<string, string>; body?: Buffer },
): Promise<{ status: number; text: string }> {
  const { request } = await import("node:http");
  return await new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: opts.method, headers: opts.headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", (e) => reject(e));
    });
    req.on("error", (e) => {
      if (!answered) reject(e);
    });
    req.end(opts.body);
  });
}
