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
    const fromProcess = g.process?.env?.[name];
    if (fromProcess !== undefined && fromProcess !== "") return fromProcess;
    const fromBun = g.Bun?.env?.[name];
    if (fromBun !== undefined && fromBun !== "") return fromBun;
    // Deno throws without --allow-env; a missing permission reads as "not set".
    const fromDeno = g.Deno?.env?.get?.(name);
    if (fromDeno !== undefined && fromDeno !== "") return fromDeno;
  } catch {
    return undefined;
  }
  return undefined;
}
