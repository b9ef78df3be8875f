// Benchmark: the CAS console with 20 engineers on a store of 100,000 tickets (2,000 open) and, by default, 1 million
// events: the quick companion of bench/console-scale.bench.ts (the 10 million), same seeding and passes
// (bench/console-seed.ts, bench/console-run.ts): alone, paced (each engineer's queue polling every 5 s with its ETag,
// pages in between: one request per engineer every 2.5 s) and closed loop.
//   node --import tsx bench/console.bench.ts
//   env: BENCH_CONSOLE_TICKETS=100000 BENCH_CONSOLE_OPEN=2000 BENCH_CONSOLE_EVENTS=1000000 BENCH_CONSOLE_ENGINEERS=20
//        BENCH_CONSOLE_SOLO=90 BENCH_CONSOLE_SECONDS=30 (paced) BENCH_CONSOLE_REQUESTS=1500 (closed loop)
//        BENCH_CONSOLE_DIR=/some/dir (keep the seeded store there and reuse it)
import { runConsoleBench } from './console-run.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

await runConsoleBench({
  tickets: env('BENCH_CONSOLE_TICKETS', 100_000), open: env('BENCH_CONSOLE_OPEN', 2_000), events: env('BENCH_CONSOLE_EVENTS', 1_000_000),
  engineers: env('BENCH_CONSOLE_ENGINEERS', 20), solo: env('BENCH_CONSOLE_SOLO', 90), pacedSeconds: env('BENCH_CONSOLE_SECONDS', 30),
  closedRequests: env('BENCH_CONSOLE_REQUESTS', 1_500), ...(process.env.BENCH_CONSOLE_DIR ? { keepDir: process.env.BENCH_CONSOLE_DIR } : {}),
});
