// The retry ledger on a real outbox file: a key exists exactly when its envelope was committed.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from './outbox.js';
import { RetryLedger } from './retry-ledger.js';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { Capture } from '../../protocol/envelope.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

function open(maxBytes = 1e9) {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-ledger-'));
  const clock = fixedClock('2026-03-02T10:00:00Z');
  const outbox = Outbox.open({ path: join(dir, 'outbox.db'), clock, logger: silentLogger(), maxBytes });
  cleanups.push(() => { outbox.close(); rmSync(dir, { recursive: true, force: true }); });
  return { outbox, clock, ledger: RetryLedger.open(outbox.database, clock), path: join(dir, 'outbox.db') };
}
const line = (text: string): Capture => ({ transport: 'syslog', source: { address: '127.0.0.1', port: 514 }, syslog: { protocol: 'udp', line: text } });

describe('RetryLedger', () => {
  it('stores a key once: a retry while the first is being written, and one after, get the first id', async () => {
    const { outbox, ledger } = open();
    const [a, b] = await Promise.all([ledger.captureOnce(outbox, line('<13>x'), 'k1', 60_000), ledger.captureOnce(outbox, line('<13>x'), 'k1', 60_000)]);
    const c = await ledger.captureOnce(outbox, line('<13>x'), 'k1', 60_000);
    expect(a).toMatchObject({ duplicate: false });
    expect([b, c]).toEqual([{ id: a.id, duplicate: true }, { id: a.id, duplicate: true }]);
    expect(outbox.stats().depth).toBe(1);
    expect(ledger.duplicates).toBe(2);
  });

  it('forgets a key after its window, and never suppresses the empty key', async () => {
    const { outbox, ledger, clock } = open();
    await ledger.captureOnce(outbox, line('<13>y'), 'k2', 60_000);
    clock.advance(60_001);
    expect(await ledger.captureOnce(outbox, line('<13>y'), 'k2', 60_000)).toMatchObject({ duplicate: false });
    await ledger.captureOnce(outbox, line('<13>z'), '', 60_000);
    expect(await ledger.captureOnce(outbox, line('<13>z'), '', 60_000)).toMatchObject({ duplicate: false });
    expect(outbox.stats().depth).toBe(4);
  });

  it('keeps no key for a capture the outbox refused, so the retry is stored once it can be', async () => {
    const { outbox, ledger } = open(10);
    await expect(ledger.captureOnce(outbox, line('<13>refused'), 'k3', 60_000)).rejects.toMatchObject({ code: 'OUTBOX_REFUSING' });
    expect(ledger.lookup('k3')).toBeUndefined();
  });

  it('keeps keys and engine boots across reopening the file', async () => {
    const first = open();
    const { id } = await first.ledger.captureOnce(first.outbox, line('<13>w'), 'k4', 60_000);
    expect([first.ledger.nextEngineBoots(), first.ledger.nextEngineBoots()]).toEqual([1, 2]);
    first.outbox.close();
    const outbox = Outbox.open({ path: first.path, clock: first.clock, logger: silentLogger(), maxBytes: 1e9 });
    cleanups.push(() => outbox.close());
    const ledger = RetryLedger.open(outbox.database, first.clock);
    expect(await ledger.captureOnce(outbox, line('<13>w'), 'k4', 60_000)).toEqual({ id, duplicate: true });
    expect(ledger.nextEngineBoots()).toBe(3);
  });
});
