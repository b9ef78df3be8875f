import { describe, it, expect } from 'vitest';
import { fixedClock } from '../../../lib/clock.js';
import { UsmTimeliness, type UsmStamp } from './usm-time.js';

const T0 = '2026-03-02T10:00:00Z';
const trap = (boots: number, time: number, digest: string): UsmStamp => ({ engineId: 'aa01', boots, time, digest, toUs: false });
const inform = (boots: number, time: number, digest: string): UsmStamp => ({ engineId: 'bb02', boots, time, digest, toUs: true });

describe('UsmTimeliness for traps (the sender is authoritative, RFC 3414 §3.2 7b)', () => {
  it('accepts the first message of an engine and refuses one more than 150 s behind its notion', () => {
    const usm = new UsmTimeliness(fixedClock(T0), { boots: 1, startedAtMs: Date.parse(T0) });
    expect(usm.check(trap(3, 1000, 'd1'))).toBe('ok');
    expect(usm.check(trap(3, 849, 'd2'))).toBe('not-in-time-window');
    expect(usm.check(trap(3, 850, 'd3'))).toBe('ok');
    expect(usm.check(trap(2, 5000, 'd4'))).toBe('not-in-time-window');
  });

  it("lets the engine's time run with ours, so an old message falls out of the window as time passes", () => {
    const clock = fixedClock(T0);
    const usm = new UsmTimeliness(clock, { boots: 1, startedAtMs: Date.parse(T0) });
    expect(usm.check(trap(3, 1000, 'd1'))).toBe('ok');
    clock.advance(120_000);
    expect(usm.check(trap(3, 990, 'd2'))).toBe('ok');
    clock.advance(60_000);
    expect(usm.check(trap(3, 995, 'd3'))).toBe('not-in-time-window');
  });

  it('refuses the same digest twice inside the window and forgets it once the window is past', () => {
    const clock = fixedClock(T0);
    const usm = new UsmTimeliness(clock, { boots: 1, startedAtMs: Date.parse(T0) });
    expect(usm.check(trap(3, 1000, 'same'))).toBe('ok');
    expect(usm.check(trap(3, 1000, 'same'))).toBe('replay');
    clock.advance(152_000);
    // The copy is now out of the window: refused for that reason, not let in because its digest was forgotten.
    expect(usm.check(trap(3, 1000, 'same'))).toBe('not-in-time-window');
  });

  it('a higher boots resets the notion (the console restarted)', () => {
    const usm = new UsmTimeliness(fixedClock(T0), { boots: 1, startedAtMs: Date.parse(T0) });
    expect(usm.check(trap(3, 90_000, 'd1'))).toBe('ok');
    expect(usm.check(trap(4, 5, 'd2'))).toBe('ok');
    expect(usm.check(trap(3, 90_001, 'd3'))).toBe('not-in-time-window');
  });
});

describe('UsmTimeliness for informs (we are authoritative, RFC 3414 §3.2 7a)', () => {
  it('needs our boots and a time within 150 s of ours', () => {
    const clock = fixedClock(T0);
    const usm = new UsmTimeliness(clock, { boots: 7, startedAtMs: Date.parse(T0) });
    clock.advance(400_000);
    expect(usm.localTime()).toBe(400);
    expect(usm.check(inform(7, 400, 'i1'))).toBe('ok');
    expect(usm.check(inform(7, 549, 'i2'))).toBe('ok');
    expect(usm.check(inform(7, 249, 'i3'))).toBe('not-in-time-window');
    expect(usm.check(inform(6, 400, 'i4'))).toBe('not-in-time-window');
    expect(usm.check(inform(7, 400, 'i1'))).toBe('replay');
  });
});
