/** API keys: random, shown once, stored as SHA-256, compared in constant time. */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const KEY_PREFIX = "phk_";

/** Shortest plaintext key the store accepts (a user's PHOSPHO_API_KEY); generated keys are 47 characters. */
export const MIN_API_KEY_LENGTH = 32;

export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString("base64url");
}

export function hashKey(plaintext: string): string {
  return createHash("sha256").update(plaintext, "utf8").digest("hex");
}

/** What a key list shows: the prefix and a few characters, never enough to use it. */
export function keyDisplayPrefix(plaintext: string): string {
  return plaintext.slice(0, KEY_PREFIX.length + 6);
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

export function randomId(prefix: string): string {
  return prefix + randomBytes(12).toString("hex");
}
