import { describe, it, expect } from 'vitest';
import { exitOnSignal, stopInOrder } from './shutdown.js';
import { silentLogger } from './logger.js';

// A signal nobody else listens to in the test process, delivered with process.emit (the handler is what is tested).
const SIGNAL = 'SIGUSR2' as NodeJS.Signals;
const send = () => process.emit(SIGNAL as never);

describe('exitOnSignal', () => {
  it('runs the stop once and exits 0 when it finishes', async () => {
    const exits: number[] = [];
    let stops = 0;
    const done = exitOnSignal(async () => { stops += 1; }, { logger: silentLogger(), exit: (c) => exits.push(c), signals: [SIGNAL] });
    send();
    expect(await done).toBe(0);
    expect({ stops, exits }).toEqual({ stops: 1, exits: [0] });
    expect(process.listenerCount(SIGNAL)).toBe(0);
  });

  it('exits 1 when the stop outlasts the grace period', async () => {
    const exits: number[] = [];
    const done = exitOnSignal(() => new Promise<void>(() => undefined), { logger: silentLogger(), graceMs: 30, exit: (c) => exits.push(c), signals: [SIGNAL] });
    send();
    expect(await done).toBe(1);
    expect(exits).toEqual([1]);
  });

  it('exits 1 at once on a second signal', async () => {
    const exits: number[] = [];
    const done = exitOnSignal(() => new Promise<void>(() => undefined), { logger: silentLogger(), graceMs: 60_000, exit: (c) => exits.push(c), signals: [SIGNAL] });
    send();
    send();
    expect(await done).toBe(1);
    expect(exits).toEqual([1]);
  });

  it('exits 1 when the stop fails', async () => {
    const done = exitOnSignal(() => Promise.reject(new Error('boom')), { logger: silentLogger(), exit: () => undefined, signals: [SIGNAL] });
    send();
    expect(await done).toBe(1);
  });
});

describe('stopInOrder', () => {
  it('runs every step in order even when one throws', async () => {
    const ran: string[] = [];
    await stopInOrder(silentLogger(), [['a', () => { ran.push('a'); }], ['b', () => { throw new Error('b failed'); }], ['c', async () => { ran.push('c'); }]]);
    expect(ran).toEqual(['a', 'c']);
  });
});
