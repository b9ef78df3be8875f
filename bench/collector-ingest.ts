// Benchmark: envelopes/s accepted and stored by a collector (its own process) from several concurrent agents, each
// with its own token, posting gzip batches of pre-built envelopes over HTTP with undici.
//   node --import tsx bench/collector-ingest.ts
//   env: BENCH_AGENTS=4  BENCH_BATCH=1000  BENCH_COLLECTOR_ENVELOPES=100000  BENCH_RUNS=2  BENCH_CPU_PROF=<dir>
//        BENCH_WARMUP_ENVELOPES=100000 (posted by the same agents before anything is timed: for its first 5–6 s a new
//        collector process spends about a sixth of its CPU on V8 compiling its hot paths, on background threads; a
//        collector runs for months, so the figure that counts is the warm one. The warm-up's own rate is printed too.)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { printMachine } from './machine.js';
import { benchEnvelope } from './captures.js';
import { COLLECTOR_NODE_OPTIONS, forkBench, nextMessage, ask, field, stopChild } from './ipc.js';
import { enrollAcme } from '../test/e2e/harness.js';
import { PROTOCOL_VERSION, type BatchResult } from '../protocol/envelope.js';
import type { Breakdown } from './profile.js';

const agents = Number(process.env.BENCH_AGENTS ?? 4);
const batchSize = Number(process.env.BENCH_BATCH ?? 1000);
const total = Number(process.env.BENCH_COLLECTOR_ENVELOPES ?? 100_000);
const runs = Number(process.env.BENCH_RUNS ?? 2);
const warmupTotal = Number(process.env.BENCH_WARMUP_ENVELOPES ?? 100_000);

interface Batch { body: Buffer; count: number }

function buildBatches(agent: number, count: number, first = 0): { batches: Batch[]; rawBytes: number } {
  const batches: Batch[] = [];
  let rawBytes = 0;
  const capturedAt = new Date().toISOString();
  for (let i = 0; i < count; i += batchSize) {
    const n = Math.min(batchSize, count - i);
    const envelopes = Array.from({ length: n }, (_, k) => benchEnvelope(agent * 10_000_000 + first + i + k, capturedAt));
    const json = JSON.stringify({ protocol: PROTOCOL_VERSION, envelopes });
    rawBytes += json.length;
    batches.push({ body: gzipSync(json, { level: 1 }), count: n });
  }
  return { batches, rawBytes };
}

async function postAll(url: string, token: string, batches: Batch[]): Promise<{ accepted: number; failed: number }> {
  const pool = new Pool(url, { connections: 1 });
  let accepted = 0;
  let failed = 0;
  try {
    for (const b of batches) {
      const res = await pool.request({
        path: '/v1/envelopes', method: 'POST', body: b.body,
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token}` },
      });
      if (res.statusCode !== 200) { failed += b.count; await res.body.dump(); continue; }
      const r = (await res.body.json()) as BatchResult;
      accepted += r.accepted.length;
      failed += r.rejected.length;
    }
  } finally {
    await pool.close();
  }
  return { accepted, failed };
}

// CPU seconds, between two readings, of the busiest thread that is not the main one (the main thread's id is the pid).
function busiestOther(pid: number | undefined, before: [number, number][], after: [number, number][]): number {
  const prev = new Map(before);
  const main = Math.min(...after.map(([tid]) => tid));
  const used = after.filter(([tid]) => tid !== main).map(([tid, s]) => ({ name: threadName(pid, tid), s: s - (prev.get(tid) ?? 0) })).sort((a, b) => b.s - a.s);
  if (process.env.BENCH_THREADS === '1') console.log(`    other threads, CPU s: ${used.filter((u) => u.s > 0).map((u) => `${u.name} ${u.s.toFixed(2)}`).join(', ')}`);
  return Math.max(0, ...used.map((u) => u.s));
}

// A thread's name as the kernel knows it (node names its worker threads; V8's and libuv's have their own names).
function threadName(pid: number | undefined, tid: number): string {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
  } catch {
    return String(tid);
  }
}

async function once(run: number): Promise<{ breakdown: Breakdown; perSecond: number; accepted: number; failed: number; seconds: number; cpuMicrosPerEnvelope: number; mainCpuMicrosPerEnvelope: number; busiestOtherThreadMicrosPerEnvelope: number; stored: number; commits: number; batchesPerCommit: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-bench-ingest-'));
  const tokens: string[] = [];
  for (let a = 0; a < agents; a++) tokens.push((await enrollAcme(dir)).token);
  const perAgent = Math.ceil(total / agents);
  const prepared = tokens.map((_, a) => buildBatches(run * 100 + a, perAgent));
  const warmup = tokens.map((_, a) => buildBatches(run * 100 + a, Math.ceil(warmupTotal / agents), perAgent).batches);
  const raw = prepared.reduce((s, p) => s + p.rawBytes, 0);
  const gz = prepared.reduce((s, p) => s + p.batches.reduce((t, b) => t + b.body.length, 0), 0);
  console.log(`  run ${run}: ${agents} agents × ${perAgent} envelopes in batches of ${batchSize}; ${(raw / 1024 ** 2).toFixed(0)} MiB JSON, ${(gz / 1024 ** 2).toFixed(0)} MiB gzip`);
  const collector = forkBench('collector-process.ts', [dir], process.env.BENCH_CPU_PROF, COLLECTOR_NODE_OPTIONS);
  try {
    const url = await nextMessage(collector, field<string>('url'), 60_000);
    const warmStart = performance.now();
    const warmed = await Promise.all(warmup.map((batches, a) => postAll(url, tokens[a]!, batches)));
    const warmAccepted = warmed.reduce((s, r) => s + r.accepted, 0);
    if (warmAccepted > 0) console.log(`    warm-up (untimed): ${warmAccepted} envelopes at ${Math.round(warmAccepted / ((performance.now() - warmStart) / 1000))}/s`);
    await ask(collector, { cmd: 'profile-start' }, field<boolean>('profiling'));
    const before = await ask(collector, { cmd: 'cpu' }, (m) => (field<number>('cpuSeconds')(m) !== undefined ? m as { cpuSeconds: number; mainCpuSeconds: number; threads: [number, number][]; commits: { count: number; batches: number } } : undefined));
    const start = performance.now();
    const results = await Promise.all(prepared.map((p, a) => postAll(url, tokens[a]!, p.batches)));
    const seconds = (performance.now() - start) / 1000;
    const stats = await ask(collector, { cmd: 'cpu' }, (m) => (field<number>('cpuSeconds')(m) !== undefined ? m as { cpuSeconds: number; mainCpuSeconds: number; threads: [number, number][]; stored: number; commits: { count: number; batches: number } } : undefined));
    const breakdown = await ask(collector, { cmd: 'profile-stop' }, field<Breakdown>('breakdown'));
    const accepted = results.reduce((s, r) => s + r.accepted, 0);
    const failed = results.reduce((s, r) => s + r.failed, 0);
    return {
      breakdown,
      perSecond: Math.round(accepted / seconds), accepted, failed, seconds, stored: stats.stored,
      commits: stats.commits.count - before.commits.count,
      batchesPerCommit: Number(((stats.commits.batches - before.commits.batches) / Math.max(1, stats.commits.count - before.commits.count)).toFixed(2)),
      cpuMicrosPerEnvelope: Math.round(((stats.cpuSeconds - before.cpuSeconds) * 1e6) / Math.max(1, accepted)),
      mainCpuMicrosPerEnvelope: Math.round(((stats.mainCpuSeconds - before.mainCpuSeconds) * 1e6) / Math.max(1, accepted)),
      // The thread other than the main one that worked most: the ingest worker, when there is one.
      busiestOtherThreadMicrosPerEnvelope: Math.round((busiestOther(collector.pid, before.threads, stats.threads) * 1e6) / Math.max(1, accepted)),
    };
  } finally {
    collector.send({ cmd: 'stop' });
    await stopChild(collector, 10_000);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  printMachine();
  console.log(`collector ingest: ${agents} concurrent agents, batches of ${batchSize}, gzip level 1, ${total} envelopes timed after ${warmupTotal} of warm-up, ${runs} run(s); collector: node ${COLLECTOR_NODE_OPTIONS.join(" ")}, ${process.env.BENCH_FROM_DIST === "1" || process.env.BENCH_COLLECTOR_FROM_DIST === "1" ? "from dist/" : "sources under tsx"}`);
  for (let run = 1; run <= runs; run++) {
    const r = await once(run);
    console.log(`  run ${run}: ${r.accepted} accepted (${r.failed} failed; ${r.stored} stored in all, warm-up included) in ${r.seconds.toFixed(1)} s = ${r.perSecond} envelopes/s; collector CPU ${r.cpuMicrosPerEnvelope} µs/envelope (main thread ${r.mainCpuMicrosPerEnvelope}, busiest other thread ${r.busiestOtherThreadMicrosPerEnvelope}, all others ${r.cpuMicrosPerEnvelope - r.mainCpuMicrosPerEnvelope}); ${r.commits} commits, ${r.batchesPerCommit} batches per commit`);
    // Sampled while the agents posted (about 5% overhead); stages can nest, so the shares need not add up to 100%.
    // The profile samples the main thread only: its stages are shares of the main thread's CPU.
    console.log('    where the main thread\'s CPU went (share of busy samples, µs per envelope):');
    for (const b of r.breakdown) console.log(`      ${b.name.padEnd(44)} ${(b.share * 100).toFixed(1).padStart(5)}%  ${(b.share * r.mainCpuMicrosPerEnvelope).toFixed(0).padStart(4)} µs`);
    const { breakdown: _b, ...figures } = r;
    console.log(`RESULT ${JSON.stringify({ bench: 'collector-ingest', run, agents, batchSize, ...figures })}`);
  }
}

await main();
