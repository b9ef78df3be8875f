// The prepare pool runs real worker threads: what they prepare must be exactly what the main thread would.
import { describe, it, expect, afterEach } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PreparePool } from './prepare-pool.js';
import { prepareBody, type PreparedBatch, type RefusedBody } from './prepare.js';
import { silentLogger } from '../../lib/logger.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures');
const corpus = ['eset', 'symantec'].flatMap((dir) => readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith('.json')).slice(0, 20)
  .map((f) => (JSON.parse(readFileSync(join(FIXTURES, dir, f), 'utf8')) as { envelope: unknown }).envelope));

/** A request body: the batch's JSON as bytes. */
function body(envelopes: unknown[], protocol = 1): Buffer {
  return Buffer.from(JSON.stringify({ protocol, envelopes }));
}
const PLAIN = { gzip: false, limit: 8 * 1024 * 1024 };
function batchOf(r: PreparedBatch | RefusedBody): PreparedBatch {
  if ('refused' in r) throw new Error(`refused: ${r.refused}`);
  return r;
}

const pools: PreparePool[] = [];
afterEach(async () => { for (const p of pools.splice(0)) await p.close(); });
function pool(size: number): PreparePool {
  const p = new PreparePool(size, silentLogger());
  pools.push(p);
  return p;
}

describe('PreparePool', () => {
  it('prepares in a worker thread exactly what prepareBody gives in this one, refusals included, without the event objects', async () => {
    const batch = body([...corpus, { id: 'not-a-uuid', transport: 'snmp' }, corpus[0]]);
    const inline = batchOf(prepareBody(batch, undefined));
    const threaded = batchOf(await pool(1).prepare(batch, undefined, PLAIN));
    expect(threaded.items).toHaveLength(corpus.length);
    expect(threaded.rejected).toEqual([expect.objectContaining({ index: corpus.length, id: 'not-a-uuid' })]);
    // The worker sends each event as its JSON only; read back, it is the event prepared in this thread.
    expect(threaded.items.every((it) => it.events === undefined && it.details.length > 0)).toBe(true);
    expect(threaded.items.map((it) => it.details.map((d) => JSON.parse(d) as unknown)))
      .toEqual(inline.items.map((it) => it.events!.map((ev) => JSON.parse(JSON.stringify(ev)) as unknown)));
    expect(threaded).toEqual({ ...inline, items: inline.items.map(({ events: _e, ...rest }) => rest) });
  });

  it('refuses a body that is not JSON or not a batch, with the reason', async () => {
    const p = pool(1);
    expect(await p.prepare(Buffer.from('{"protocol": 1, "envelopes": ['), undefined, PLAIN)).toEqual({ refused: expect.stringMatching(/^the body is not JSON: /) });
    expect(await p.prepare(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), undefined, PLAIN)).toEqual({ refused: expect.stringMatching(/^the body is not JSON: /) });
    expect(await p.prepare(body([], 99), undefined, PLAIN)).toEqual({ refused: expect.stringMatching(/^the batch is not valid: protocol: .*; envelopes: /) });
  });

  it('inflates a gzip body in the worker: the same batch as sent plain; a broken gzip or a bomb past the limit refused', async () => {
    const p = pool(1);
    const plain = body(corpus);
    const zipped = batchOf(await p.prepare(gzipSync(plain), undefined, { gzip: true, limit: plain.length }));
    expect(zipped).toEqual(batchOf(await p.prepare(plain, undefined, PLAIN)));
    expect(await p.prepare(Buffer.from('not gzip at all'), undefined, { gzip: true, limit: 1024 })).toEqual({ refused: expect.stringMatching(/^gzip: /) });
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(await p.prepare(bomb, undefined, { gzip: true, limit: 8 * 1024 * 1024 })).toEqual({ refused: 'the body inflates past 8388608 bytes', tooLarge: true });
    // One byte over the limit is over it.
    expect(await p.prepare(gzipSync(plain), undefined, { gzip: true, limit: plain.length - 1 })).toMatchObject({ tooLarge: true });
  });

  it('spreads concurrent batches over its workers and answers each its own', async () => {
    const p = pool(2);
    const results = await Promise.all(corpus.map((e) => p.prepare(body([e]), undefined, PLAIN)));
    expect(results.map((r) => batchOf(r).items[0]!.id)).toEqual(corpus.map((e) => (e as { id: string }).id));
  });

  it('fails the batches of a worker that died and starts a new one for the next batch', async () => {
    const p = pool(1);
    await p.prepare(body([corpus[0]]), undefined, PLAIN);
    const slot = (p as unknown as { slots: ({ worker: Worker } | null)[] }).slots[0]!;
    const inHand = p.prepare(body(Array.from({ length: 50 }, () => corpus).flat()), undefined, PLAIN); // long enough to be in hand
    await slot.worker.terminate();
    await expect(inHand).rejects.toThrow(/exited/);
    const after = await p.prepare(body([corpus[1]]), undefined, PLAIN);
    expect(batchOf(after).items).toHaveLength(1);
  });

  it('refuses work once closed', async () => {
    const p = pool(1);
    await p.close();
    await expect(p.prepare(body([corpus[0]]), undefined, PLAIN)).rejects.toThrow(/closed/);
  });
});
