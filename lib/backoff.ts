// The wait before trying again after failures, shared by the agent's forwarder and the collector's outbox.

/**
 * The delay before the next attempt after `failures` consecutive failures (1 = the first): an exponential ceiling,
 * `initialMs` doubling per failure up to `maxMs`, with "equal jitter" — half the ceiling fixed, the other half random
 * — so a crowd that failed together (the collector or the SMTP server was down) does not come back in one burst, and
 * nothing retries at once. `random` returns [0, 1) and is injected so tests can pin it.
 */
export function backoffDelay(failures: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, failures - 1);
  // 2^exponent overflows to Infinity long before it matters; the cap keeps the result finite.
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(exponent, 40));
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
