// Benchmark (issue 18): the packaged agent's outbox (Node 24 + node:sqlite, packaging/sqlite-compat.ts) against the
// source tree's (Node 20 + better-sqlite3). 1. SNMPv2c traps/s into the real receiver + outbox with zero loss (the
// agent-trap-ingest ladder, bench/trap-agent.ts bundled for the packaged runtime); 2. the outbox's own capture and
// drain rates (bench/packaged-outbox-drain.ts). Same machine, same disk, one after the other.
//   node --import tsx bench/packaged-outbox.bench.ts
//   env: BENCH_TRAP_RATES=5000,10000,20000  BENCH_TRAP_SECONDS=3  BENCH_DRAIN_COUNT=50000
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleAgent, REPO } from '../packaging/bundle.js';
import { CACHE_DIR, NODE_VERSION, fetchDownloads } from '../packaging/runtime.js';
import { printMachine } from './machine.js';
import { forkBench, ask, nextMessage, field, stopChild } from './ipc.js';
import type { SendOrder, SendReport } from './trap-sender.js';
import type { RungReport } from './trap-agent.js';

const COMMUNITY = 'public-bench';
const rates = (process.env.BENCH_TRAP_RATES ?? '5000,10000,20000').split(',').map(Number);
const seconds = Number(process.env.BENCH_TRAP_SECONDS ?? 3);
const drainCount = Number(process.env.BENCH_DRAIN_COUNT ?? 50_000);

function packagedNode(): string {
  const dir = join(CACHE_DIR, `node-${NODE_VERSION}`);
  execFileSync('sh', ['-c', `[ -x "${dir}/node" ] || { mkdir -p "${dir}" && tar -xzf "$1" -C "${dir}" --strip-components=2 package/bin/node; }`, 'sh', fetchDownloads().nodeLinux]);
  return join(dir, 'node');
}

async function ladder(label: string, agent: ChildProcess, sender: ChildProcess): Promise<void> {
  const port = await nextMessage(agent, field<number>('port'), 60_000);
  try {
    for (const [i, rate] of rates.entries()) {
      await ask(agent, { cmd: 'begin' }, field<boolean>('begun'));
      const order: SendOrder = { port, rate, seconds, base: (label.length * 100 + i) * 10_000_000, community: COMMUNITY };
      const sent = await ask(sender, order, (m: unknown) => (field<number>('sent')(m) !== undefined ? m as SendReport : undefined), (seconds + 60) * 1000);
      const r = await ask(agent, { cmd: 'end', quietMs: 700 }, field<RungReport>('report'));
      console.log(`RESULT ${label} ${rate}/s: sent ${sent.sent}, durable ${r.uniqueCounters}, lost ${sent.sent - r.uniqueCounters}, p99 ${r.p99Ms} ms, cpu ${r.cpuMicrosPerTrap} µs/trap`);
    }
  } finally {
    agent.send({ cmd: 'stop' });
    await stopChild(agent);
  }
}

async function main(): Promise<void> {
  printMachine();
  const dir = mkdtempSync(join(tmpdir(), 'xpears-bench-pkg-'));
  const node24 = packagedNode();
  const trapBundle = join(dir, 'trap-agent.mjs');
  const drainBundle = join(dir, 'drain.mjs');
  await bundleAgent({ outFile: trapBundle, version: 'bench', nodeMajor: 24, entry: join(REPO, 'bench/trap-agent.ts') });
  await bundleAgent({ outFile: drainBundle, version: 'bench', nodeMajor: 24, entry: join(REPO, 'bench/packaged-outbox-drain.ts') });
  const sender = forkBench('trap-sender.ts');
  try {
    await ladder('better-sqlite3 (Node 20)', forkBench('trap-agent.ts', [join(dir, 'a.db'), COMMUNITY]), sender);
    await ladder(`node:sqlite (Node ${NODE_VERSION})`, fork(trapBundle, [join(dir, 'b.db'), COMMUNITY],
      { execPath: node24, execArgv: ['--disable-warning=ExperimentalWarning'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }), sender);
    const src = execFileSync(process.execPath, ['--import', 'tsx', join(REPO, 'bench/packaged-outbox-drain.ts'), join(dir, 'c.db'), String(drainCount)], { cwd: REPO }).toString().trim();
    const pkg = execFileSync(node24, ['--disable-warning=ExperimentalWarning', drainBundle, join(dir, 'd.db'), String(drainCount)]).toString().trim();
    console.log(`RESULT outbox better-sqlite3: ${src}`);
    console.log(`RESULT outbox node:sqlite:    ${pkg}`);
  } finally {
    sender.disconnect();
    await stopChild(sender);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
