// The agent side of the trap benchmark, run as its own process: the real SNMP receiver writing into the real Outbox,
// with the sink wrapped to time capture() → durable. Controlled over IPC by agent-trap-ingest.ts.
import { createHistogram, monitorEventLoopDelay, type RecordableHistogram } from 'node:perf_hooks';
import { createSnmpReceiver, snmpReceiverConfigSchema } from '../agent/receivers/snmp/index.js';
import { Outbox } from '../agent/outbox/index.js';
import type { CaptureSink } from '../agent/receivers/types.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';
import { COUNTER_OID } from './ber.js';

/** Commands from the orchestrator. */
export type AgentCommand = { cmd: 'begin' } | { cmd: 'end'; quietMs: number } | { cmd: 'stop' };

/** The agent's account of one rung. */
export interface RungReport {
  received: number;
  rejected: number;
  durableRows: number;
  uniqueCounters: number;
  failedCaptures: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  cpuPercent: number;
  /** CPU time of the agent process per received trap: what the trap costs whatever the machine's contention. */
  cpuMicrosPerTrap: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

const outboxPath = process.argv[2]!;
const community = process.argv[3]!;
const logger = silentLogger();
const outbox = Outbox.open({ path: outboxPath, clock: systemClock, logger, maxBytes: 8 * 1024 ** 3 });
let latency: RecordableHistogram = createHistogram();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let inFlight = 0;
let failed = 0;
let lastCaptureAt = Date.now();

const sink: CaptureSink = {
  capture(c) {
    const t0 = process.hrtime.bigint();
    inFlight += 1;
    lastCaptureAt = Date.now();
    const p = outbox.capture(c);
    p.then(() => { latency.record(Math.max(1, Number(process.hrtime.bigint() - t0))); inFlight -= 1; },
      () => { failed += 1; inFlight -= 1; });
    return p;
  },
};

const receiver = createSnmpReceiver(snmpReceiverConfigSchema.parse({ address: '127.0.0.1', port: 0, communities: [community] }), { sink, logger });
await receiver.start();
process.send?.({ ready: true, port: receiver.port() });

let rung = { seqBefore: 0, received: 0, rejected: 0, failed: 0, cpu: process.cpuUsage(), t: process.hrtime.bigint() };

function maxSeq(): number {
  return (outbox.database.prepare('SELECT COALESCE(MAX(seq), 0) FROM outbox').pluck().get() as number);
}

async function endRung(quietMs: number): Promise<RungReport> {
  // The rung is over once nothing arrived for quietMs and every capture has resolved.
  while (Date.now() - lastCaptureAt < quietMs || inFlight > 0) await new Promise((r) => setTimeout(r, 50));
  const seconds = Number(process.hrtime.bigint() - rung.t) / 1e9;
  const cpu = process.cpuUsage(rung.cpu);
  const h = receiver.health();
  const counts = outbox.database.prepare(
    `SELECT COUNT(*) AS rows, COUNT(DISTINCT json_extract(body, '$.snmp.varbinds[2].value')) AS uniq FROM outbox
     WHERE seq > ? AND json_extract(body, '$.snmp.varbinds[2].oid') = ?`,
  ).get(rung.seqBefore, COUNTER_OID) as { rows: number; uniq: number };
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  return {
    received: h.received - rung.received, rejected: h.rejected - rung.rejected, durableRows: counts.rows,
    uniqueCounters: counts.uniq, failedCaptures: failed - rung.failed,
    p50Ms: ms(latency.percentile(50)), p99Ms: ms(latency.percentile(99)), maxMs: ms(latency.max),
    cpuMicrosPerTrap: Math.round((cpu.user + cpu.system) / Math.max(1, h.received - rung.received)),
    cpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / Math.max(0.001, seconds - quietMs / 1000)) * 100),
    loopDelayP99Ms: ms(loopDelay.percentile(99)), loopDelayMaxMs: ms(loopDelay.max),
  };
}

process.on('message', (m: AgentCommand) => {
  if (m.cmd === 'begin') {
    const h = receiver.health();
    rung = { seqBefore: maxSeq(), received: h.received, rejected: h.rejected, failed, cpu: process.cpuUsage(), t: process.hrtime.bigint() };
    latency = createHistogram();
    loopDelay.reset();
    loopDelay.enable();
    process.send?.({ begun: true });
  } else if (m.cmd === 'end') {
    void endRung(m.quietMs).then((report) => { loopDelay.disable(); process.send?.({ report }); });
  } else {
    void receiver.stop().then(() => { outbox.close(); process.exit(0); });
  }
});
process.on('disconnect', () => process.exit(0));
