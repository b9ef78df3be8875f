// Benchmark: a backlog queued at the agent while the collector is down, then drained once it is back.
// Reports envelopes/s drained and the agent's peak RSS (VmHWM). The agent runs as a child (`xpears agent start`);
// the collector runs in a process of its own (bench/collector-process.ts), with its default settings.
//   node --import tsx bench/backlog-drain.ts
//   env: BENCH_BACKLOG=1000000  BENCH_RUNS=1  BENCH_DRAIN_TIMEOUT_S=900
//        BENCH_IN_FLIGHT=<n>: the agent's forwarder.inFlight (default: the agent's default, 3)
//        BENCH_FROM_DIST=1: run the agent and the collector from the build (`npm run build`) as they are deployed,
//        instead of through tsx, whose loader thread and compiler add to memory and CPU (BENCH_AGENT_FROM_DIST=1:
//        the agent only);
//        with BENCH_CPU_PROF=<dir> as well, the agent writes a --cpu-prof profile there
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printMachine } from './machine.js';
import { benchCapture } from './captures.js';
import { memoryOf, cpuSecondsOf } from './proc.js';
import { freePort, freeTcpPort } from './ports.js';
import { COLLECTOR_NODE_OPTIONS, ask, field, forkBench, nextMessage, stopChild } from './ipc.js';
import { Outbox } from '../agent/outbox/index.js';
import { ROOT, agentConfigFor, enrollAcme, spawnAgent, waitForOutput } from '../test/e2e/harness.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';

const backlog = Number(process.env.BENCH_BACKLOG ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 1);
const timeoutS = Number(process.env.BENCH_DRAIN_TIMEOUT_S ?? 900);
const inFlight = process.env.BENCH_IN_FLIGHT ? { forwarder: { backoffInitialMs: 50, backoffMaxMs: 300, idlePollMs: 50, inFlight: Number(process.env.BENCH_IN_FLIGHT) } } : {};
const DIST_CLI = join(ROOT, 'dist/bin/xpears.js');
const fromDist = process.env.BENCH_AGENT_FROM_DIST === '1' || process.env.BENCH_FROM_DIST === '1';
const collectorFromDist = process.env.BENCH_FROM_DIST === '1';

// `xpears agent start` as a child: through tsx (as the end-to-end tests do) or from the build.
function startAgentProcess(dir: string, config: unknown): ChildProcess {
  if (!fromDist) return spawnAgent(dir, config);
  if (!existsSync(DIST_CLI)) throw new Error(`BENCH_AGENT_FROM_DIST=1 but ${DIST_CLI} is missing: run npm run build first`);
  const file = join(dir, 'agent.json');
  writeFileSync(file, JSON.stringify(config));
  // BENCH_CPU_PROF=<dir>: a --cpu-prof profile of the agent, written when it exits.
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  return spawn(process.execPath, [...prof, DIST_CLI, 'agent', 'start', '--config', file], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XPEARS_LOG_LEVEL: 'info' },
  });
}

async function fillOutbox(path: string): Promise<{ seconds: number; bytes: number }> {
  const outbox = Outbox.open({ path, clock: systemClock, logger: silentLogger(), maxBytes: 8 * 1024 ** 3 });
  const start = performance.now();
  const chunk = 5000;
  let lastPrint = start;
  for (let i = 0; i < backlog; i += chunk) {
    const n = Math.min(chunk, backlog - i);
    await Promise.all(Array.from({ length: n }, (_, k) => outbox.capture(benchCapture(i + k))));
    if (performance.now() - lastPrint > 10_000) {
      lastPrint = performance.now();
      console.log(`  filling: ${i + n}/${backlog} captured (${Math.round((i + n) / ((lastPrint - start) / 1000))}/s)`);
    }
  }
  const bytes = outbox.stats().bytes;
  outbox.close();
  return { seconds: (performance.now() - start) / 1000, bytes };
}

interface DrainResult {
  run: number;
  envelopes: number;
  fillSeconds: number;
  drainSeconds: number;
  perSecond: number;
  agentPeakMiB: number;
  agentStartedMiB: number;
  agentCpuMicrosPerEnvelope: number;
  collectorCpuMicrosPerEnvelope: number;
  /** Database commits at the collector, and agent batches per commit (group commit). */
  collectorCommits: number;
  batchesPerCommit: number;
}

async function drainOnce(run: number): Promise<DrainResult> {
  const dir = mkdtempSync(join(tmpdir(), 'xpears-bench-backlog-'));
  const agentDir = join(dir, 'agent');
  const collectorDir = join(dir, 'collector');
  try {
    const { token } = await enrollAcme(collectorDir);
    const port = await freeTcpPort();
    console.log(`  run ${run}: filling the agent's outbox with ${backlog} captures (collector down)`);
    const fill = await fillOutbox(join(agentDir, 'outbox.db'));
    console.log(`  run ${run}: filled in ${fill.seconds.toFixed(1)} s (${Math.round(backlog / fill.seconds)}/s, ${(fill.bytes / 1024 ** 2).toFixed(0)} MiB of envelopes)`);
    const agent = startAgentProcess(dir, agentConfigFor(agentDir, `http://127.0.0.1:${port}`, token, await freePort(), { heartbeat: { intervalSeconds: 3600 }, ...inFlight }));
    agent.stdout?.resume();
    agent.stderr?.resume();
    try {
      await waitForOutput(agent, 'agent started', 60_000);
      await new Promise((r) => setTimeout(r, 1000));
      // What the agent takes before any envelope moves (Node, tsx's loader thread, modules): the floor of the peak.
      const startedMiB = memoryOf(agent.pid!)?.rssMiB ?? -1;
      const agentCpu0 = cpuSecondsOf(agent.pid!);
      const collector = forkBench('collector-process.ts', [collectorDir, String(port)], undefined, COLLECTOR_NODE_OPTIONS);
      collector.on('exit', () => undefined);
      const stats = () => ask(collector, { cmd: 'cpu' }, (m) => (field<number>('cpuSeconds')(m) !== undefined ? m as { cpuSeconds: number; stored: number; commits: { count: number; batches: number } } : undefined));
      await nextMessage(collector, field<string>('url'), 60_000);
      const s0 = await stats();
      const cpu0 = s0.cpuSeconds;
      const start = performance.now();
      let stored = 0;
      let lastPrint = start;
      try {
        while (stored < backlog) {
          await new Promise((r) => setTimeout(r, 500));
          stored = (await stats()).stored;
          const now = performance.now();
          if ((now - start) / 1000 > timeoutS) throw new Error(`drain timed out after ${timeoutS} s with ${stored}/${backlog} stored`);
          if (now - lastPrint > 10_000) {
            lastPrint = now;
            const m = memoryOf(agent.pid!);
            console.log(`  draining: ${stored}/${backlog} stored (${Math.round(stored / ((now - start) / 1000))}/s), agent RSS ${m?.rssMiB} MiB`);
          }
        }
        const drainSeconds = (performance.now() - start) / 1000;
        const s1 = await stats();
        const cpuSeconds = s1.cpuSeconds - cpu0;
        const commits = s1.commits.count - s0.commits.count;
        const mem = memoryOf(agent.pid!);
        return {
          run, envelopes: stored, fillSeconds: fill.seconds, drainSeconds, perSecond: Math.round(stored / drainSeconds),
          agentPeakMiB: mem?.peakMiB ?? -1, agentStartedMiB: startedMiB,
          agentCpuMicrosPerEnvelope: Math.round(((cpuSecondsOf(agent.pid!) - agentCpu0) * 1e6) / stored),
          collectorCpuMicrosPerEnvelope: Math.round((cpuSeconds * 1e6) / stored),
          collectorCommits: commits, batchesPerCommit: Number(((s1.commits.batches - s0.commits.batches) / Math.max(1, commits)).toFixed(2)),
        };
      } finally {
        agent.kill('SIGTERM');
        await stopChild(agent, 10_000);
        collector.send({ cmd: 'stop' });
        await stopChild(collector, 10_000);
      }
    } finally {
      if (agent.exitCode === null && agent.signalCode === null) agent.kill('SIGKILL');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  printMachine();
  console.log(`backlog drain: ${backlog} envelopes queued at the agent, collector started afterwards, ${runs} run(s); agent run ${fromDist ? 'from dist/ (node dist/bin/xpears.js)' : 'through tsx (node --import tsx bin/xpears.ts)'}, collector ${collectorFromDist ? "from dist/" : "through tsx"} (node ${COLLECTOR_NODE_OPTIONS.join(" ")})`);
  const results: DrainResult[] = [];
  for (let run = 1; run <= runs; run++) {
    const r = await drainOnce(run);
    results.push(r);
    console.log(`  run ${run}: drained ${r.envelopes} envelopes in ${r.drainSeconds.toFixed(1)} s = ${r.perSecond} envelopes/s; agent peak RSS ${r.agentPeakMiB} MiB (${r.agentStartedMiB} MiB once started, before draining); CPU per envelope: agent ${r.agentCpuMicrosPerEnvelope} µs, collector ${r.collectorCpuMicrosPerEnvelope} µs; ${r.collectorCommits} commits at the collector, ${r.batchesPerCommit} batches per commit`);
    console.log(`RESULT ${JSON.stringify({ bench: 'backlog-drain', agentFrom: fromDist ? 'dist' : 'tsx', collectorFrom: collectorFromDist ? 'dist' : 'tsx', ...r })}`);
  }
}

await main();
