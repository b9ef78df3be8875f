import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox, OUTBOX_CACHE_KIB } from './outbox.js';
import { systemClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { Capture } from '../../protocol/envelope.js';

const dirs: string[] = [];
function tempPath(): string {
  const d = mkdtempSync(join(tmpdir(), 'xpears-outbox-'));
  dirs.push(d);
  return join(d, 'outbox.db');
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function syslogCapture(line: string): Capture {
  return { transport: 'syslog', source: { address: '127.0.0.1', port: 5000 }, syslog: { protocol: 'udp', line } };
}
function open(path: string, maxBytes = 1e9): Outbox {
  return Outbox.open({ path, clock: systemClock, logger: silentLogger(), maxBytes });
}

describe('Outbox', () => {
  it('keeps a capture across a reopen and hands it out in capture order', async () => {
    const path = tempPath();
    const a = open(path);
    const ids = await Promise.all([a.capture(syslogCapture('one')), a.capture(syslogCapture('two'))]);
    a.close();
    const b = open(path);
    const items = b.peek(10, 1e6);
    expect(items.map((i) => i.id)).toEqual(ids);
    expect(JSON.parse(items[0]!.body).syslog.line).toBe('one');
    expect(b.stats().depth).toBe(2);
    b.remove([ids[0]!]);
    expect(b.peek(10, 1e6).map((i) => i.id)).toEqual([ids[1]]);
    expect(b.stats().depth).toBe(1);
    b.close();
  });

  it('writes a burst of captures, every promise resolving to a distinct stored id', async () => {
    const o = open(tempPath());
    const ids = await Promise.all(Array.from({ length: 3000 }, (_, i) => o.capture(syslogCapture(`line ${i}`))));
    expect(new Set(ids).size).toBe(3000);
    expect(o.stats().depth).toBe(3000);
    expect(o.stats().written).toBe(3000);
    o.close();
  });

  it('refuses captures when the disk is full, loudly, and recovers when space returns', async () => {
    const o = open(tempPath());
    await o.capture(syslogCapture('fits'));
    const pages = o.database.pragma('page_count', { simple: true }) as number;
    o.database.pragma(`max_page_count = ${pages}`);
    const big = 'x'.repeat(20_000);
    await expect(o.capture(syslogCapture(big))).rejects.toMatchObject({ code: 'OUTBOX_REFUSING' });
    expect(o.stats().refusing).toBe(true);
    expect(o.stats().lastError).toMatch(/full/);
    expect(o.stats().depth).toBe(1);
    o.database.pragma('max_page_count = 1073741823');
    await expect(o.capture(syslogCapture('after'))).resolves.toMatch(/^[0-9a-f-]{36}$/);
    expect(o.stats().refusing).toBe(false);
    o.close();
  });

  it('refuses captures past its byte quota and accepts again once drained', async () => {
    const o = open(tempPath(), 2000);
    const id = await o.capture(syslogCapture('a'.repeat(1000)));
    await expect(o.capture(syslogCapture('b'.repeat(1000)))).rejects.toMatchObject({ code: 'OUTBOX_REFUSING' });
    expect(o.stats().refusing).toBe(true);
    o.remove([id]);
    await expect(o.capture(syslogCapture('c'.repeat(1000)))).resolves.toBeTypeOf('string');
    o.close();
  });

  it('dead-letters an envelope: kept, counted, no longer handed out', async () => {
    const o = open(tempPath());
    const id = await o.capture(syslogCapture('bad'));
    o.deadLetter([{ id, error: 'rejected by collector: invalid' }]);
    expect(o.peek(10, 1e6)).toEqual([]);
    expect(o.stats()).toMatchObject({ depth: 0, deadLettered: 1 });
    expect(o.listDead()[0]).toMatchObject({ id, error: 'rejected by collector: invalid' });
    o.close();
  });

  it('removes an acknowledged batch by its span: its pending envelopes only, not a dead letter inside it or later captures', async () => {
    const o = open(tempPath());
    const ids = await Promise.all(['a', 'b', 'c', 'd'].map((l) => o.capture(syslogCapture(l))));
    o.deadLetter([{ id: ids[1]!, error: 'invalid' }]);
    const batch = o.peek(2, 1e6); // a and c: b is dead
    expect(batch.map((i) => i.id)).toEqual([ids[0], ids[2]]);
    const later = await o.capture(syslogCapture('e'));
    const before = o.stats();
    o.removeSpan(batch[0]!.seq, batch[1]!.seq);
    expect(o.peek(10, 1e6).map((i) => i.id)).toEqual([ids[3], later]);
    expect(o.listDead().map((d) => d.id)).toEqual([ids[1]]);
    const after = o.stats();
    expect(before.depth - after.depth).toBe(2);
    expect(before.bytes - after.bytes).toBe(batch[0]!.body.length + batch[1]!.body.length);
    o.close();
    const again = open(o.database.name);
    expect(again.stats().depth).toBe(after.depth); // the counts kept in memory match the file's
    expect(again.stats().bytes).toBe(after.bytes);
    again.close();
  });
});

describe('Outbox page cache', () => {
  it('is bounded at OUTBOX_CACHE_KIB, not better-sqlite3\'s 16 MB default', () => {
    const o = open(tempPath());
    expect(o.database.pragma('cache_size', { simple: true })).toBe(-OUTBOX_CACHE_KIB);
    expect(OUTBOX_CACHE_KIB).toBeLessThanOrEqual(4096);
    o.close();
  });
});
