// The clock every piece of logic takes instead of reading the time itself.

/** Returns the current instant. Injected so tests can stand anywhere in time. */
export type Clock = () => Date;

/** The real clock. */
export const systemClock: Clock = () => new Date();

/** A clock that stands still until moved: for tests and replays. */
export function fixedClock(start: Date | string): Clock & { set(t: Date | string): void; advance(ms: number): void } {
  let now = new Date(start);
  const clock = (() => new Date(now)) as Clock & { set(t: Date | string): void; advance(ms: number): void };
  clock.set = (t) => { now = new Date(t); };
  clock.advance = (ms) => { now = new Date(now.getTime() + ms); };
  return clock;
}
