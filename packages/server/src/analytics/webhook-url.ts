/**
 * Which webhook URLs the collector will call. Anyone signed in to the dashboard can set a definition's webhook,
 * and the collector then POSTs from inside its own network: left open, that is a server-side request forgery
 * (SSRF) into whatever trusts that network (cloud metadata at 169.254.169.254, an admin port on localhost, the
 * database host; a failed call's error even tells "refused" from "timed out", enough to scan ports). So:
 *
 * - only `http:` and `https:`, without credentials in the URL;
 * - never link-local (cloud metadata), multicast, broadcast or reserved addresses, whatever the policy;
 * - loopback and private networks (RFC 1918, CGNAT, IPv6 unique-local) only when the operator allows them with
 *   `PHOSPHO_WEBHOOK_ALLOW_PRIVATE=true` (a webhook receiver on the team's own LAN or on the same box).
 *
 * The rules are checked when a definition is saved (a 400 naming `webhook_url`: the URL's host as written, then
 * what it resolves to now) and again at each call, on the address the socket actually connects to, so a name
 * that later resolves elsewhere (DNS rebinding) is refused too. Redirects are not followed.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

export interface WebhookPolicy {
  /** Allow loopback and private-network addresses. `PHOSPHO_WEBHOOK_ALLOW_PRIVATE`, default false. */
  allowPrivate: boolean;
  /** Per call (connect and reply headers), in ms. `PHOSPHO_WEBHOOK_TIMEOUT_MS`, default 10,000. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = { allowPrivate: false, timeoutMs: 10_000 };

/** The policy from the environment over the defaults; a bad value is an error naming the variable. */
export function webhookPolicyFromEnv(env: NodeJS.ProcessEnv): WebhookPolicy {
  const policy = { ...DEFAULT_WEBHOOK_POLICY };
  const allow = env.PHOSPHO_WEBHOOK_ALLOW_PRIVATE;
  if (allow !== undefined && allow !== "") {
    if (!/^(true|false|1|0)$/i.test(allow)) {
      throw new Error(`PHOSPHO_WEBHOOK_ALLOW_PRIVATE must be true or false, got "${allow}"`);
    }
    policy.allowPrivate = /^(true|1)$/i.test(allow);
  }
  const timeout = env.PHOSPHO_WEBHOOK_TIMEOUT_MS;
  if (timeout !== undefined && timeout !== "") {
    const value = Number(timeout);
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`PHOSPHO_WEBHOOK_TIMEOUT_MS must be a positive number, got "${timeout}"`);
    }
    policy.timeoutMs = Math.floor(value);
  }
  return policy;
}

function blockList(ranges: Array<[string, number, "ipv4" | "ipv6"]>): BlockList {
  const list = new BlockList();
  for (const [network, prefix, family] of ranges) list.addSubnet(network, prefix, family);
  return list;
}

/** Never called, whatever the policy. */
const NEVER = blockList([
  ["169.254.0.0", 16, "ipv4"], // link-local: cloud metadata services
  ["fe80::", 10, "ipv6"],
  ["fd00:ec2::254", 128, "ipv6"], // AWS metadata over IPv6 (inside the unique-local range)
  ["224.0.0.0", 4, "ipv4"], // multicast
  ["ff00::", 8, "ipv6"],
  ["240.0.0.0", 4, "ipv4"], // reserved, and 255.255.255.255
]);

/** Loopback: this very machine (0.0.0.0 and :: connect to it too). */
const LOOPBACK = blockList([
  ["127.0.0.0", 8, "ipv4"],
  ["0.0.0.0", 8, "ipv4"],
  ["::1", 128, "ipv6"],
  ["::", 128, "ipv6"],
]);

const PRIVATE = blockList([
  ["10.0.0.0", 8, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["100.64.0.0", 10, "ipv4"], // carrier-grade NAT
  ["198.18.0.0", 15, "ipv4"], // benchmarking networks
  ["fc00::", 7, "ipv6"], // unique-local
]);

/** Why the collector must not call this IP address under `policy`, or null when it may. */
export function addressRefusal(address: string, policy: WebhookPolicy): string | null {
  const family = isIP(address) === 6 ? "ipv6" : "ipv4";
  if (NEVER.check(address, family)) {
    return `${address} is a link-local, multicast or reserved address, never called`;
  }
  if (policy.allowPrivate) return null;
  const allowHint = "(set PHOSPHO_WEBHOOK_ALLOW_PRIVATE=true on the collector to allow it)";
  if (LOOPBACK.check(address, family)) return `${address} is a loopback address ${allowHint}`;
  if (PRIVATE.check(address, family)) return `${address} is a private-network address ${allowHint}`;
  return null;
}

/** Refusal of a webhook URL, with the rule it breaks (the caller names the field). */
export class WebhookUrlError extends Error {
  override readonly name = "WebhookUrlError";
  readonly code = "EWEBHOOKREFUSED";
}

/** The URL's host without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/** The checks that need no network: scheme, credentials, and a host written as an address or `localhost`. */
export function checkWebhookUrlSyntax(text: string, policy: WebhookPolicy): URL {
  if (!URL.canParse(text)) throw new WebhookUrlError("must be an absolute http(s) URL");
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WebhookUrlError(`must be an http(s) URL, not ${url.protocol}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new WebhookUrlError("must not carry a user name or password: put a token in the path or query");
  }
  const host = hostOf(url).toLowerCase().replace(/\.$/, "");
  if (isIP(host) !== 0) {
    const refusal = addressRefusal(host, policy);
    if (refusal) throw new WebhookUrlError(refusal);
  } else if ((host === "localhost" || host.endsWith(".localhost")) && !policy.allowPrivate) {
    throw new WebhookUrlError(
      `${host} is a loopback name (set PHOSPHO_WEBHOOK_ALLOW_PRIVATE=true on the collector to allow it)`,
    );
  }
  return url;
}

/** How long a definition-time DNS lookup may take before the URL is taken on the call-time check alone. */
const LOOKUP_TIMEOUT_MS = 2_000;

/**
 * The definition-time check: the syntax, then what the host resolves to now. A name that does not resolve (yet, or
 * on an offline box) is accepted: every call checks again on the address it connects to.
 */
export async function checkWebhookUrl(text: string, policy: WebhookPolicy): Promise<void> {
  const url = checkWebhookUrlSyntax(text, policy);
  const host = hostOf(url);
  if (isIP(host) !== 0) return;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    lookup(host, { all: true }).catch(() => []),
    new Promise<[]>((resolve) => (timer = setTimeout(() => resolve([]), LOOKUP_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, policy);
    if (refusal) throw new WebhookUrlError(`${host} resolves to ${refusal}`);
  }
}
