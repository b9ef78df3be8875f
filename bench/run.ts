// `npm run bench`: every benchmark in turn, each in its own process, the machine printed first and a summary last.
// Runs the three benchmarks of the spine, then any bench/*.bench.ts other modules add.
//   env: BENCH_TIMEOUT_S=1500 (per benchmark), and whatever each benchmark reads (BENCH_BACKLOG, BENCH_RUNS, …)
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { printMachine } from './machine.js';

const HERE = import.meta.dirname;
const ROOT = join(HERE, '..');
const SPINE = ['agent-trap-ingest.ts', 'backlog-drain.ts', 'collector-ingest.ts'];
const timeoutS = Number(process.env.BENCH_TIMEOUT_S ?? 1500);

interface Outcome { file: string; code: number | null; seconds: number; results: string[] }

function runOne(file: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const start = performance.now();
    const results: string[] = [];
    const child = spawn(process.execPath, ['--import', 'tsx', join('bench', file)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => { console.log(`${file}: still running after ${timeoutS} s, stopping it`); child.kill('SIGTERM'); }, timeoutS * 1000);
    let rest = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('RESULT ')) results.push(l.slice('RESULT '.length));
    });
    child.on('close', (code) => { clearTimeout(timer); resolve({ file, code, seconds: (performance.now() - start) / 1000, results }); });
  });
}

async function main(): Promise<void> {
  printMachine();
  const extra = readdirSync(HERE).filter((f) => f.endsWith('.bench.ts')).sort();
  const outcomes: Outcome[] = [];
  for (const file of [...SPINE, ...extra]) {
    console.log(`\n=== ${file} ===`);
    outcomes.push(await runOne(file));
  }
  console.log('\n=== summary ===');
  for (const o of outcomes) {
    console.log(`${o.file}: ${o.code === 0 ? 'ok' : `FAILED (exit ${o.code})`} in ${o.seconds.toFixed(0)} s`);
    for (const r of o.results) console.log(`  ${r}`);
  }
  if (outcomes.some((o) => o.code !== 0)) process.exitCode = 1;
}

await main();
