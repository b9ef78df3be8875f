// A collector in its own process for the ingest and drain benchmarks: started on a data folder (argv[2]) and port
// (argv[3], 0 = any), its URL sent over IPC. BENCH_FROM_DIST=1 (or BENCH_COLLECTOR_FROM_DIST=1) runs the build (dist/, as deployed, after
// `npm run build`) instead of the sources under tsx: its worker threads then need no TypeScript loader either.
// Answers { cpuSeconds } to { cmd: 'cpu' }, profiles between { cmd: 'profile-start' } and { cmd: 'profile-stop' }
// (answering { breakdown }), and stops on { cmd: 'stop' }.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCollector as startFromSource } from '../bin/runtime/collector.js';
import { collectorConfigFor } from '../test/e2e/harness.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';
import { startProfile, type Breakdown, type Stage } from './profile.js';
import { threadCpuSecondsOf, threadsCpuSecondsOf } from './proc.js';

/** The collector's stages, by the functions that run them. */
const STAGES: Stage[] = [
  { name: 'gunzip', functions: ['processCallback'] },
  { name: 'JSON.parse of the body', functions: ['defaultJsonParser'] },
  { name: 'token check', functions: ['authenticateAgent'] },
  { name: 'zod validation', functions: ['safeParse'] },
  { name: 'vendor parsing', functions: ['parseEnvelope'] },
  { name: 'SQLite store (envelope + events)', functions: ['storeBatch'] },
  { name: 'tickets after storage (triage, correlate)', functions: ['processStored'] },
  { name: 'garbage collection', functions: ['(garbage collector)'] },
];
let stopProfile: (() => Promise<Breakdown>) | undefined;

// BENCH_INGEST_WORKERS: the collector's `ingest.workers` (default: its own default, auto).
const DIST = join(import.meta.dirname, '..', 'dist', 'bin', 'runtime', 'collector.js');
const fromDist = process.env.BENCH_COLLECTOR_FROM_DIST === '1' || process.env.BENCH_FROM_DIST === '1';
if (fromDist && !existsSync(DIST)) throw new Error(`BENCH_COLLECTOR_FROM_DIST=1 but ${DIST} is missing: run npm run build first`);
const startCollector: typeof startFromSource = fromDist
  ? ((await import(pathToFileURL(DIST).href)) as { startCollector: typeof startFromSource }).startCollector
  : startFromSource;
const workers = process.env.BENCH_INGEST_WORKERS;
const config = collectorConfigFor(process.argv[2]!, Number(process.argv[3] ?? 0), workers === undefined ? {} : { ingest: { workers: workers === 'auto' ? 'auto' : Number(workers) } });
const collector = await startCollector(config, { logger: silentLogger(), clock: systemClock });
process.send?.({ url: collector.url });
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'cpu') {
    const c = process.cpuUsage();
    // Database commits so far, and the batches they stored (group commit: collector/ingest/ingest.ts).
    const commits = collector.metrics.commitBatches.get().then((h) => ({
      count: h.values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0,
      batches: h.values.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0,
    }));
    // The main thread apart: the profile below samples only it; ingest worker threads take the rest.
    const stats = { cpuSeconds: (c.user + c.system) / 1e6, mainCpuSeconds: threadCpuSecondsOf(process.pid, process.pid), threads: [...threadsCpuSecondsOf(process.pid)], stored: collector.repo.countEnvelopes() };
    void commits.then((k) => process.send?.({ ...stats, commits: k }));
  } else if (m.cmd === 'profile-start') {
    if (process.env.BENCH_NO_PROFILE === '1') { process.send?.({ profiling: true }); return; }
    void startProfile(STAGES).then((stop) => { stopProfile = stop; process.send?.({ profiling: true }); });
  } else if (m.cmd === 'profile-stop') {
    void (stopProfile?.() ?? Promise.resolve([])).then((breakdown) => process.send?.({ breakdown }));
  } else {
    void collector.stop().then(() => process.exit(0));
  }
});
process.on('disconnect', () => { void collector.stop().then(() => process.exit(0)); });
