// Benchmark: parser throughput at the collector — the fixture corpus (test/fixtures/{eset,symantec}/*.json) replayed
// in a loop through parseEnvelope, in one process (one core). Reports events/s over wall time and per CPU-second
// (the figure that does not depend on what else the shared machine runs), per format, and the slowest fixtures.
//   node --import tsx bench/parsers.bench.ts
//   env: BENCH_PARSE_SECONDS=5 (whole-corpus loop per run)  BENCH_RUNS=2  BENCH_FORMAT_SECONDS=0.5 (each format)
//        BENCH_WARMUP_SECONDS=5 (untimed corpus loop first: V8 keeps compiling for about 4 s, on background threads
//          whose CPU time process.cpuUsage() counts; the figure wanted is a long-running collector's steady state)
//        BENCH_PARSE_FROM=<dir>: time the parsers compiled by tsc into <dir> (what `npm start` runs), e.g.
//          npx tsc -p tsconfig.build.json --outDir node_modules/.cache/bench-build && BENCH_PARSE_FROM=node_modules/.cache/bench-build …
//        (under tsx, esbuild's keepNames wraps every inner closure in a __name() call, which the build has not)
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { printMachine } from './machine.js';
import { envelopeSchema, type Envelope } from '../protocol/envelope.js';
import { parseEnvelope as parseFromSource } from '../collector/parse/index.js';
import type { VendorHint } from '../collector/parse/types.js';

const seconds = Number(process.env.BENCH_PARSE_SECONDS ?? 5);
const runs = Number(process.env.BENCH_RUNS ?? 2);
const formatSeconds = Number(process.env.BENCH_FORMAT_SECONDS ?? 0.5);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const TARGET_PER_CORE = 50_000;
const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures');
const compiledFrom = process.env.BENCH_PARSE_FROM;
const parseEnvelope: typeof parseFromSource = compiledFrom
  ? ((await import(pathToFileURL(resolve(compiledFrom, 'collector', 'parse', 'index.js')).href)) as { parseEnvelope: typeof parseFromSource }).parseEnvelope
  : parseFromSource;

interface Case { file: string; group: string; envelope: Envelope; hint: VendorHint; events: number }

// A format group as the issue names them: ESET json/cef/leef/text/email/snmp, SEPM syslog/email.
function groupOf(dir: string, envelope: Envelope, format: string): string {
  const vendor = dir === 'eset' ? 'ESET' : 'SEPM';
  if (envelope.transport === 'smtp') return `${vendor} email`;
  if (envelope.transport === 'snmp') return `${vendor} snmp`;
  if (dir !== 'eset') return `${vendor} syslog`;
  const family = format.split('/')[1] ?? 'unclassified';
  return `${vendor} syslog ${family.startsWith('text') ? 'text' : family}`;
}

function loadCorpus(): Case[] {
  const cases: Case[] = [];
  for (const dir of ['eset', 'symantec']) {
    for (const name of readdirSync(join(FIXTURES, dir)).filter((n) => n.endsWith('.json')).sort()) {
      const fixture = JSON.parse(readFileSync(join(FIXTURES, dir, name), 'utf8')) as { envelope: unknown; hint?: VendorHint };
      const envelope = envelopeSchema.parse(fixture.envelope);
      const events = parseEnvelope(envelope, fixture.hint);
      cases.push({ file: `${dir}/${name}`, group: groupOf(dir, envelope, events[0]?.format ?? ''), envelope, hint: fixture.hint, events: events.length });
    }
  }
  return cases;
}

interface Rate { envelopes: number; events: number; wallS: number; cpuS: number }

// Replays `cases` in order, round after round, until `budgetS` of wall time has passed.
function replay(cases: readonly Case[], budgetS: number): Rate {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const deadline = start + budgetS * 1000;
  let envelopes = 0;
  let events = 0;
  do {
    for (const c of cases) events += parseEnvelope(c.envelope, c.hint).length;
    envelopes += cases.length;
  } while (performance.now() < deadline);
  const cpu = process.cpuUsage(cpu0);
  return { envelopes, events, wallS: (performance.now() - start) / 1000, cpuS: (cpu.user + cpu.system) / 1e6 };
}

const perWall = (r: Rate): number => Math.round(r.events / r.wallS);
const perCpu = (r: Rate): number => Math.round(r.events / Math.max(1e-9, r.cpuS));

function main(): void {
  printMachine();
  const corpus = loadCorpus();
  const totalEvents = corpus.reduce((s, c) => s + c.events, 0);
  console.log(`parsers: ${corpus.length} fixtures (${totalEvents} events per round), parseEnvelope (${compiledFrom ? `compiled, from ${compiledFrom}` : 'TypeScript source under tsx'}) in one process, ${runs} run(s) of ${seconds} s after ${warmupSeconds} s of warm-up, target ≥ ${TARGET_PER_CORE} events/s per core`);
  replay(corpus, warmupSeconds); // warm-up: every parser path compiled and optimized before anything is timed
  for (let run = 1; run <= runs; run++) {
    const r = replay(corpus, seconds);
    const verdict = perCpu(r) >= TARGET_PER_CORE ? 'meets' : 'MISSES';
    console.log(`  run ${run}: ${r.events} events from ${r.envelopes} envelopes in ${r.wallS.toFixed(1)} s wall, ${r.cpuS.toFixed(1)} s CPU = ${perWall(r)} events/s wall, ${perCpu(r)} events/s per CPU-second (${verdict} the target); ${(1e6 * r.cpuS / r.envelopes).toFixed(1)} µs CPU/envelope`);
    console.log(`RESULT ${JSON.stringify({ bench: 'parsers', run, eventsPerSecondWall: perWall(r), eventsPerCpuSecond: perCpu(r), envelopes: r.envelopes, events: r.events, target: TARGET_PER_CORE })}`);
  }

  console.log(`  per format (${formatSeconds} s each, events/s per CPU-second, slowest first):`);
  const groups = [...new Set(corpus.map((c) => c.group))];
  const byGroup = groups.map((g) => {
    const cases = corpus.filter((c) => c.group === g);
    return { group: g, fixtures: cases.length, rate: replay(cases, formatSeconds) };
  }).sort((a, b) => perCpu(a.rate) - perCpu(b.rate));
  for (const g of byGroup) {
    console.log(`    ${g.group.padEnd(22)} ${String(perCpu(g.rate)).padStart(8)} events/s  ${(1e6 * g.rate.cpuS / g.rate.envelopes).toFixed(1).padStart(7)} µs/envelope  (${g.fixtures} fixtures)`);
  }
  console.log(`RESULT ${JSON.stringify({ bench: 'parsers-formats', ...Object.fromEntries(byGroup.map((g) => [g.group, perCpu(g.rate)])) })}`);

  const slowest = corpus.map((c) => ({ file: c.file, rate: replay([c], 0.05) }))
    .sort((a, b) => b.rate.cpuS / b.rate.envelopes - a.rate.cpuS / a.rate.envelopes).slice(0, 8);
  console.log('  slowest fixtures (µs CPU per envelope):');
  for (const s of slowest) console.log(`    ${(1e6 * s.rate.cpuS / s.rate.envelopes).toFixed(1).padStart(7)}  ${s.file}`);
}

main();
