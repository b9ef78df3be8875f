// Waiting for a condition in a test, instead of a fixed sleep or a hand-written loop: polls `check` until it holds.

/** Polls `check` every `everyMs` until it returns true, or `timeoutMs` passes (then returns what a last check says). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, everyMs = 100): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return check();
}

/** As `eventually`, but throws when the condition is not reached in time (for a wait that is not itself asserted). */
export async function reached(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, everyMs = 100): Promise<void> {
  if (!(await eventually(check, timeoutMs, everyMs))) throw new Error('condition not reached in time');
}
