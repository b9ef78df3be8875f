// Benchmark (issue 15): the CAS console at the scale. 100,000 tickets (2,000 open) and 10 million events,
// seeded by bench/console-seed.ts (tickets through the ticket repository, events in bulk with the event store's own
// INSERTs; the generation time is printed), then the passes of bench/console-run.ts with 20 engineers: alone, paced
// (each engineer's queue polling every 5 s with its ETag, pages opened in between) and closed loop. Prints p50/p95/p99
// of the queue page, the queue's poll and a ticket page, with the load average at each pass's start.
// Target: p95 under 100 ms from the server with 20 engineers polling.
//   node --import tsx bench/console-scale.bench.ts
//   env: BENCH_SCALE_TICKETS=100000 BENCH_SCALE_OPEN=2000 BENCH_SCALE_EVENTS=10000000 BENCH_SCALE_ENGINEERS=20
//        BENCH_SCALE_SOLO=90 (requests one at a time) BENCH_SCALE_PACED_S=60 BENCH_SCALE_REQUESTS=3000 (closed loop)
//        BENCH_CONSOLE_DIR=/some/dir (keep the seeded store there, 22 GB at 10 million events, and reuse it)
//        (a quick run: BENCH_SCALE_EVENTS=200000)
import { runConsoleBench } from './console-run.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

await runConsoleBench({
  tickets: env('BENCH_SCALE_TICKETS', 100_000), open: env('BENCH_SCALE_OPEN', 2_000), events: env('BENCH_SCALE_EVENTS', 10_000_000),
  engineers: env('BENCH_SCALE_ENGINEERS', 20), solo: env('BENCH_SCALE_SOLO', 90), pacedSeconds: env('BENCH_SCALE_PACED_S', 60),
  closedRequests: env('BENCH_SCALE_REQUESTS', 3_000), ...(process.env.BENCH_CONSOLE_DIR ? { keepDir: process.env.BENCH_CONSOLE_DIR } : {}),
});
