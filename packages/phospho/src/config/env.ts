// Environment variables in Node, Bun and Deno, read through globalThis so that browsers and edge runtimes
// (which have none of these) load this module without error.

type DenoLike = { env?: { get?: (name: string) => string | undefined } };
type ProcessLike = { env?: Record<string, string | undefined> };

export function readEnv(name: string): string | undefined {
  try {
    const g = globalThis as {
      process?: ProcessLike;
      Deno?: DenoLike;
      Bun?: { env?: Record<string, string> };
    };
    // Read in this order, each only if the one before has no value. Deno throws without --allow-env; a
    // missing permission reads as "not set".
    for (const read of [
      () => g.process?.env?.[name],
      () => g.Bun?.env?.[name],
      () => g.Deno?.env?.get?.(name),
    ]) {
      const value = read();
      if (value !== undefined && value !== "") return value;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
