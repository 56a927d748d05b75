// The API key must never appear in a message the SDK produces: every reported error goes through here.

import type { PhosphoError } from "../errors.js";

export function redactText(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join("[redacted]");
}

/**
 * The first `max` characters of a server reply, with the secret removed before cutting, so that a key echoed
 * by the server and cut at the edge of the excerpt cannot leak in part: what remains of a partial key at the
 * end is cut too.
 */
export function excerpt(text: string, max: number, secret: string | undefined): string {
  const clean = redactText(text, secret);
  if (clean.length <= max) return clean;
  let cut = clean.slice(0, max);
  if (secret && secret.length >= 4) {
    // The excerpt may end with the start of a key (one that was itself cut in the reply): drop that tail.
    for (let n = Math.min(secret.length - 1, cut.length); n >= 4; n--) {
      if (cut.endsWith(secret.slice(0, n))) {
        cut = `${cut.slice(0, cut.length - n)}[redacted]`;
        break;
      }
    }
  }
  return `${cut}…`;
}

/** A description of an unknown thrown value, safe to put in a message. */
export function describeError(error: unknown, secret: string | undefined): string {
  let text: string;
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? ` (${cause.name}: ${cause.message})` : "";
    text = `${error.name}: ${error.message}${causeText}`;
  } else {
    text = String(error);
  }
  return redactText(text, secret);
}

/** Strips the secret from an error's message and stack before it is handed to `onError`. */
export function redactError(error: PhosphoError, secret: string | undefined): PhosphoError {
  if (!secret) return error;
  // Every string field: message, stack, and the subclasses' `detail`, `reason`, … (server text may echo it).
  const fields = error as unknown as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(error)) {
    const value = fields[key];
    if (typeof value === "string" && value.includes(secret)) {
      try {
        fields[key] = redactText(value, secret);
      } catch {
        // A read-only field: skip it.
      }
    }
  }
  return error;
}
