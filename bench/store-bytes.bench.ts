// Benchmark (issue 20, "an event is stored once"): bytes on disk per event, by table and index, and the storing
// thread's time per envelope, for the same synthetic envelopes written through the product's own store. The
// envelopes are bench/captures.ts's (ESET and Symantec fixtures and an SNMP trap, 300–600 B of JSON each), prepared as
// an ingest worker prepares them (prepareBatch, untimed: that is the worker's share), then stored with storeBatch,
// 100 envelopes a call, each call its own transaction, synchronous = FULL as the collector runs; only storeBatch is
// timed, by the wall clock and by the process's CPU time (on a loaded host the disk syncs make the wall figure
// mostly waiting). The same file runs against an older checkout to give the "before" figures (docs/benchmarks.md).
//   node --import tsx bench/store-bytes.bench.ts
//   env: BENCH_STORE_ENVELOPES=200000
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printMachine } from './machine.js';
import { benchEnvelope } from './captures.js';
import { openCollectorDb } from '../collector/migrations.js';
import { SqliteEventRepository } from '../collector/store/store.js';
import { prepareBatch } from '../collector/ingest/prepare.js';

const total = Number(process.env.BENCH_STORE_ENVELOPES ?? 200_000);
const PER_CALL = 100;

function main(): void {
  printMachine();
  const dir = mkdtempSync(join(tmpdir(), 'xpears-store-bytes-'));
  try {
    const path = join(dir, 'collector.db');
    const db = openCollectorDb(path);
    const repo = new SqliteEventRepository(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const empty = statSync(path).size;
    const start = Date.parse('2026-11-01T00:00:00.000Z');
    let storeMs = 0;
    let storeCpuUs = 0;
    let events = 0;
    for (let i = 0; i < total; i += PER_CALL) {
      const at = new Date(start + i * 1000).toISOString();
      const raw = Array.from({ length: Math.min(PER_CALL, total - i) }, (_, k) => benchEnvelope(i + k, at));
      const prepared = prepareBatch(raw, 'eset', false); // a worker's share, untimed
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = repo.storeBatch(`c${i % 7}`, `a${i % 7}`, prepared.items, at, () => {}); // triaged in the batch, as the collector does
      const c = process.cpuUsage(c0);
      storeCpuUs += c.user + c.system;
      storeMs += performance.now() - t0;
      events += r.accepted.reduce((n, evs) => n + evs.length, 0);
      // The collector's checkpointer keeps the WAL short; here every 100 calls.
      if ((i / PER_CALL) % 100 === 99) db.pragma('wal_checkpoint(PASSIVE)');
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = statSync(path).size - empty;
    console.log(`${total} envelopes, ${events} events; database ${(bytes / 1e6).toFixed(1)} MB beyond the empty schema`);
    console.log(`bytes per event: ${(bytes / events).toFixed(0)}; per envelope: ${(bytes / total).toFixed(0)}`);
    console.log(`storeBatch: ${((storeMs * 1000) / total).toFixed(1)} µs per envelope by the wall clock, ${(storeCpuUs / total).toFixed(1)} µs of CPU (synchronous = FULL)`);
    try {
      const rows = db.prepare(`SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 12`).all() as { name: string; bytes: number }[];
      for (const r of rows) console.log(`  ${r.name.padEnd(28)} ${(r.bytes / events).toFixed(0).padStart(6)} B/event`);
    } catch {
      console.log('  (no dbstat in this SQLite build: no per-table figures)');
    }
    console.log(`RESULT store-bytes: ${(bytes / events).toFixed(0)} B/event, storeBatch ${((storeMs * 1000) / total).toFixed(1)} µs/envelope (CPU ${(storeCpuUs / total).toFixed(1)}) at ${total}`);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
