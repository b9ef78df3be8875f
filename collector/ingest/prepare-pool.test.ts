// The prepare pool runs real worker threads: what they prepare must be exactly what the main thread would.
import { describe, it, expect, afterEach } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PreparePool } from './prepare-pool.js';
import { prepareBatch } from './prepare.js';
import { silentLogger } from '../../lib/logger.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures');
const corpus = ['eset', 'symantec'].flatMap((dir) => readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith('.json')).slice(0, 20)
  .map((f) => (JSON.parse(readFileSync(join(FIXTURES, dir, f), 'utf8')) as { envelope: unknown }).envelope));

const pools: PreparePool[] = [];
afterEach(async () => { for (const p of pools.splice(0)) await p.close(); });
function pool(size: number): PreparePool {
  const p = new PreparePool(size, silentLogger());
  pools.push(p);
  return p;
}

describe('PreparePool', () => {
  it('prepares in a worker thread exactly what prepareBatch gives in this one, refusals included', async () => {
    const batch = [...corpus, { id: 'not-a-uuid', transport: 'snmp' }, corpus[0]];
    const inline = prepareBatch(batch, undefined);
    const threaded = await pool(1).prepare(batch, undefined);
    expect(threaded).toEqual(inline);
    expect(threaded.items).toHaveLength(corpus.length);
    expect(threaded.rejected).toEqual([expect.objectContaining({ index: corpus.length, id: 'not-a-uuid' })]);
    expect(threaded.items.every((it) => it.events.length > 0 && it.details.length === it.events.length)).toBe(true);
  });

  it('spreads concurrent batches over its workers and answers each its own', async () => {
    const p = pool(2);
    const batches = corpus.map((e) => [e]);
    const results = await Promise.all(batches.map((b) => p.prepare(b, undefined)));
    expect(results.map((r) => r.items[0]!.head.id)).toEqual(batches.map((b) => (b[0] as { id: string }).id));
  });

  it('fails the batches of a worker that died and starts a new one for the next batch', async () => {
    const p = pool(1);
    await p.prepare([corpus[0]], undefined);
    const slot = (p as unknown as { slots: ({ worker: Worker } | null)[] }).slots[0]!;
    const inHand = p.prepare(Array.from({ length: 50 }, () => corpus).flat(), undefined); // long enough to be in hand
    await slot.worker.terminate();
    await expect(inHand).rejects.toThrow(/exited/);
    const after = await p.prepare([corpus[1]], undefined);
    expect(after.items).toHaveLength(1);
  });

  it('refuses work once closed', async () => {
    const p = pool(1);
    await p.close();
    await expect(p.prepare([corpus[0]], undefined)).rejects.toThrow(/closed/);
  });
});
