// Timers that never keep a Node process alive, and a sleep that can be cut short.

type Unrefable = { unref?: () => void };

export function unrefTimer<T>(timer: T): T {
  (timer as Unrefable).unref?.();
  return timer;
}

/** Resolves after `ms`; the timer does not keep the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    unrefTimer(setTimeout(resolve, ms));
  });
}

/** Resolves to what `promise` resolves to if it does within `ms`, `false` otherwise. Never rejects. */
export function within(promise: Promise<boolean>, ms: number | undefined): Promise<boolean> {
  const settled = promise.catch(() => false);
  if (ms === undefined || !Number.isFinite(ms)) return settled;
  return Promise.race([
    settled,
    new Promise<boolean>((resolve) => {
      unrefTimer(setTimeout(() => resolve(false), Math.max(0, ms)));
    }),
  ]);
}

/** Resolves to `true` if `promise` settles within `ms`, `false` otherwise. Never rejects. */
export function settlesWithin(promise: Promise<unknown>, ms: number | undefined): Promise<boolean> {
  return within(
    promise.then(
      () => true,
      () => true,
    ),
    ms,
  );
}
