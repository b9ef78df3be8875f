// Benchmark: SNMPv2c traps/s sustained into the agent's durable outbox with zero loss, and capture→durable latency,
// against Debian's snmptrapd under the same load. The load generator and the agent each run in their own process.
//   node --import tsx bench/agent-trap-ingest.ts
//   env: BENCH_TRAP_RATES=5000,10000,20000,30000,40000  BENCH_TRAP_SECONDS=5  BENCH_RUNS=2  BENCH_SNMPTRAPD=0 (skip)
//        BENCH_CPU_PROF=<dir> (write a --cpu-prof profile of the agent process there)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { printMachine, loadLine } from './machine.js';
import { forkBench, ask, nextMessage, field, stopChild } from './ipc.js';
import { raiseRmemMax, udpSocketStats } from './udp-stats.js';
import { startSnmptrapd } from './snmptrapd.js';
import { freePort } from './ports.js';
import type { SendOrder, SendReport } from './trap-sender.js';
import type { RungReport } from './trap-agent.js';

const COMMUNITY = 'public-bench';
const AGENT_RECEIVE_BUFFER = 8 * 1024 * 1024;
const rates = (process.env.BENCH_TRAP_RATES ?? '5000,10000,20000,30000,40000').split(',').map(Number);
const seconds = Number(process.env.BENCH_TRAP_SECONDS ?? 5);
const runs = Number(process.env.BENCH_RUNS ?? 2);
const withSnmptrapd = process.env.BENCH_SNMPTRAPD !== '0';

interface Rung {
  rate: number;
  sent: number;
  sentPerSecond: number;
  agent: (RungReport & { loss: number; socketDrops: number }) | null;
  snmptrapd: { logged: number; loss: number; socketDrops: number } | null;
  snmptrapdBigBuffer: { logged: number; loss: number; socketDrops: number } | null;
}

function sendLoad(sender: ChildProcess, order: SendOrder): Promise<SendReport> {
  const pick = (m: unknown): SendReport | undefined => (field<number>('sent')(m) !== undefined ? m as SendReport : undefined);
  return ask(sender, order, pick, (seconds + 60) * 1000);
}

async function agentLadder(dir: string, run: number, sender: ChildProcess): Promise<Map<number, Rung['agent'] & { sent: number; sentPerSecond: number }>> {
  const agent = forkBench('trap-agent.ts', [join(dir, `outbox-${run}.db`), COMMUNITY], process.env.BENCH_CPU_PROF);
  const port = await nextMessage(agent, field<number>('port'), 60_000);
  const out = new Map<number, Rung['agent'] & { sent: number; sentPerSecond: number }>();
  try {
    for (const [i, rate] of rates.entries()) {
      await ask(agent, { cmd: 'begin' }, field<boolean>('begun'));
      const dropsBefore = udpSocketStats(port)?.drops ?? 0;
      const base = (run * 100 + i) * 10_000_000;
      const sent = await sendLoad(sender, { port, rate, seconds, base, community: COMMUNITY });
      const report = await ask(agent, { cmd: 'end', quietMs: 700 }, field<RungReport>('report'));
      const socketDrops = (udpSocketStats(port)?.drops ?? 0) - dropsBefore;
      // The hand-made BER must decode to what was sent: no counter found means the figures would mean nothing.
      if (report.uniqueCounters === 0) throw new Error(`the receiver stored none of the ${sent.sent} traps (received ${report.received}, rejected ${report.rejected}): the packet does not decode`);
      out.set(rate, { ...report, loss: sent.sent - report.uniqueCounters, socketDrops, sent: sent.sent, sentPerSecond: Math.round(sent.sent / (sent.elapsedMs / 1000)) });
      const r = out.get(rate)!;
      console.log(`  agent      ${String(rate).padStart(6)}/s: sent ${r.sent} (${r.sentPerSecond}/s), durable ${r.uniqueCounters}, lost ${r.loss} (socket drops ${socketDrops}), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, cpu ${r.cpuPercent}% (${r.cpuMicrosPerTrap} µs/trap), loop delay p99 ${r.loopDelayP99Ms} ms max ${r.loopDelayMaxMs} ms`);
    }
  } finally {
    agent.send({ cmd: 'stop' });
    await stopChild(agent);
  }
  return out;
}

async function snmptrapdLadder(dir: string, run: number, sender: ChildProcess, receiveBufferBytes?: number): Promise<Map<number, Rung['snmptrapd']>> {
  const out = new Map<number, Rung['snmptrapd']>();
  const label = receiveBufferBytes ? 'snmptrapd+' : 'snmptrapd ';
  for (const [i, rate] of rates.entries()) {
    const daemon = await startSnmptrapd(dir, await freePort(), COMMUNITY, receiveBufferBytes);
    const base = (run * 100 + (receiveBufferBytes ? 70 : 50) + i) * 10_000_000;
    const sent = await sendLoad(sender, { port: daemon.port, rate, seconds, base, community: COMMUNITY });
    // Let it drain its socket before it is stopped.
    let queued = udpSocketStats(daemon.port)?.rxQueueBytes ?? 0;
    for (let waited = 0; queued > 0 && waited < 10_000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      queued = udpSocketStats(daemon.port)?.rxQueueBytes ?? 0;
    }
    await new Promise((r) => setTimeout(r, 500));
    const r = await daemon.stop();
    out.set(rate, { logged: r.uniqueCounters, loss: sent.sent - r.uniqueCounters, socketDrops: r.socketDrops });
    console.log(`  ${label} ${String(rate).padStart(6)}/s: sent ${sent.sent}, logged ${r.uniqueCounters}, lost ${sent.sent - r.uniqueCounters} (socket drops ${r.socketDrops})`);
  }
  return out;
}

function highestLossless(rungs: Rung[], pick: (r: Rung) => number | undefined): number {
  let best = 0;
  for (const r of rungs) if (pick(r) === 0) best = Math.max(best, r.rate);
  return best;
}

async function main(): Promise<void> {
  printMachine();
  console.log(`agent trap ingest: v2c traps, rates ${rates.join(', ')}/s, ${seconds} s each, ${runs} run(s)`);
  console.log(raiseRmemMax(16 * 1024 * 1024));
  const dir = mkdtempSync(join(tmpdir(), 'xpears-bench-trap-'));
  const sender = forkBench('trap-sender.ts');
  const summary: { run: number; agentBest: number; snmptrapdBest: number; snmptrapdBigBest: number }[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      console.log(`run ${run}:`);
      const agent = await agentLadder(dir, run, sender);
      const daemon = withSnmptrapd ? await snmptrapdLadder(dir, run, sender) : new Map<number, Rung['snmptrapd']>();
      // The same 8 MiB socket buffer the agent asks for, so that the comparison is of the programs, not the buffers.
      const daemonBig = withSnmptrapd ? await snmptrapdLadder(dir, run, sender, AGENT_RECEIVE_BUFFER) : new Map<number, Rung['snmptrapd']>();
      const rungs: Rung[] = rates.map((rate) => {
        const a = agent.get(rate)!;
        return { rate, sent: a.sent, sentPerSecond: a.sentPerSecond, agent: a, snmptrapd: daemon.get(rate) ?? null, snmptrapdBigBuffer: daemonBig.get(rate) ?? null };
      });
      console.log(`  ${'rate/s'.padStart(7)} | ${'sent'.padStart(7)} | ${'agent lost'.padStart(10)} | ${'p50 ms'.padStart(7)} | ${'p99 ms'.padStart(7)} | ${'snmptrapd lost'.padStart(14)} | ${'snmptrapd 8 MiB lost'.padStart(20)}`);
      for (const r of rungs) {
        console.log(`  ${String(r.rate).padStart(7)} | ${String(r.sent).padStart(7)} | ${String(r.agent?.loss).padStart(10)} | ${String(r.agent?.p50Ms).padStart(7)} | ${String(r.agent?.p99Ms).padStart(7)} | ${String(r.snmptrapd?.loss ?? '-').padStart(14)} | ${String(r.snmptrapdBigBuffer?.loss ?? '-').padStart(20)}`);
      }
      const agentBest = highestLossless(rungs, (r) => r.agent?.loss);
      const snmptrapdBest = highestLossless(rungs, (r) => r.snmptrapd?.loss);
      const snmptrapdBigBest = highestLossless(rungs, (r) => r.snmptrapdBigBuffer?.loss);
      const ratio = (best: number): string => (best > 0 ? (agentBest / best).toFixed(2) : 'n/a (it lost traps at every rate)');
      console.log(`  run ${run}: highest rate with zero loss: agent ${agentBest}/s; snmptrapd ${withSnmptrapd ? `${snmptrapdBest}/s (ratio ${ratio(snmptrapdBest)}), with an 8 MiB buffer ${snmptrapdBigBest}/s (ratio ${ratio(snmptrapdBigBest)})` : 'skipped'}; ${loadLine()}`);
      const compact = rungs.map((r) => ({ rate: r.rate, sent: r.sent, agentLost: r.agent?.loss, p50Ms: r.agent?.p50Ms, p99Ms: r.agent?.p99Ms, snmptrapdLost: r.snmptrapd?.loss, snmptrapd8MiBLost: r.snmptrapdBigBuffer?.loss }));
      console.log(`RESULT ${JSON.stringify({ bench: 'agent-trap-ingest', run, agentBest, snmptrapdBest, snmptrapdBigBest, rungs: compact })}`);
      summary.push({ run, agentBest, snmptrapdBest, snmptrapdBigBest });
    }
  } finally {
    sender.disconnect();
    await stopChild(sender);
    rmSync(dir, { recursive: true, force: true });
  }
  for (const s of summary) console.log(`summary run ${s.run}: agent ${s.agentBest} traps/s lossless, snmptrapd ${s.snmptrapdBest} traps/s lossless (${s.snmptrapdBigBest} with an 8 MiB buffer) (ladder ${rates.join('/')})`);
}

await main();
