// Benchmark (issue 20): an ESET ransomware SNMP trap at the agent → the ticket's mail accepted by an SMTP server
// (the server's answer to DATA), end to end through the real agent, the real collector and an in-process
// smtp-server, on the default configuration (notify.dispatch.intervalMs 5 s: the queued message wakes the dispatcher;
// forwarder defaults). BENCH_TRAPS traps are sent open loop, one every BENCH_TRAP_GAP_MS, each naming its own
// computer and threat so that each opens its own ticket and mail (one threat on many computers is a storm, one
// incident), after BENCH_TRAP_WARMUP traps sent one at a time, each waited for, that are not counted.
// Prints p50/p95/p99/max of trap sent → DATA accepted. Target: p99 under 500 ms.
//   node --import tsx bench/snmp-trap-to-mail.bench.ts
//   env: BENCH_TRAPS=200 BENCH_TRAP_GAP_MS=100 BENCH_TRAP_WARMUP=3
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import snmp from 'net-snmp';
import { SMTPServer } from 'smtp-server';
import { printMachine } from './machine.js';
import { startAgent } from '../agent/index.js';
import { Registry } from '../collector/registry/index.js';
import { resolvePlans } from '../config/plans.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';
import { ROOT, agentConfigFor, collectorConfigFor, enrollAcme, freeUdpPort, runCollector, tempDir } from '../test/e2e/harness.js';

const TRAPS = Number(process.env.BENCH_TRAPS ?? 200);
const GAP_MS = Number(process.env.BENCH_TRAP_GAP_MS ?? 100);
const WARMUP = Number(process.env.BENCH_TRAP_WARMUP ?? 3);

interface Varbind { oid: string; type: string; value: string; encoding?: string }
const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/eset/37-snmp-v2c-text-es-ransomware.json'), 'utf8')) as
  { envelope: { snmp: { varbinds: Varbind[]; trapOid: string } } };
const TEXT_OID = '1.3.6.1.4.1.99999.1.1';
const template = fixture.envelope.snmp.varbinds.find((v) => v.oid === TEXT_OID)!.value;

/** The fixture's Spanish detection text, naming `host` and occurring now (the console's UTC-3 wall time). */
function trapText(host: string): string {
  const t = new Date(Date.now() - 3 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const when = `${two(t.getUTCDate())}/${two(t.getUTCMonth() + 1)}/${two(t.getUTCFullYear() % 100)}, ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())} UTC-3`;
  return template.replace('srv-archivos', host).replace('Phobos', `Bench${host.slice(-5)}`).replace(/Hora de la ocurrencia: [^U]+UTC-3/, `Hora de la ocurrencia: ${when}`);
}

/** An SMTP server that records, per message, the moment it accepts DATA and the message's text. */
async function startTimedSink(): Promise<{ port: number; accepted: { at: number; text: string }[]; close(): Promise<void> }> {
  const accepted: { at: number; text: string }[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false, closeTimeout: 200,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => { accepted.push({ at: performance.now(), text: Buffer.concat(chunks).toString('latin1') }); callback(); });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.server.address() as AddressInfo).port, accepted, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

async function main(): Promise<void> {
  printMachine();
  const dir = tempDir('xpears-bench-snmp-mail-');
  const dataDir = join(dir.path, 'collector');
  const { token } = await enrollAcme(dataDir);
  const registry = await Registry.open(join(dataDir, 'registry.json'), resolvePlans());
  await registry.addContact('acme', { name: 'Ana', email: 'ana@acme.example', language: 'es', products: ['ESET PROTECT Entry'] });
  const sink = await startTimedSink();
  // reports off: otherwise the start-up catch-up renders and mails last month's report while the traps arrive.
  const collector = await runCollector(collectorConfigFor(dataDir, 0, { reports: { enabled: false }, notify: {
    smtp: { host: '127.0.0.1', port: sink.port, starttls: 'never' }, from: { address: 'cas@xpears.example' } } }));
  const snmpPort = await freeUdpPort();
  // forwarder: {} puts back the forwarder's defaults that the test harness shortens.
  const agent = await startAgent(agentConfigFor(join(dir.path, 'agent'), collector.url, token, snmpPort, { forwarder: {} }), { logger: silentLogger(), clock: systemClock });
  const session = snmp.createSession('127.0.0.1', 'public-test', { trapPort: snmpPort, version: snmp.Version2c });
  const send = (host: string) => session.trap(fixture.envelope.snmp.trapOid, [{ oid: TEXT_OID, type: snmp.ObjectType.OctetString, value: trapText(host) }], {},
    (err: Error | null) => { if (err) throw err; });
  const mailed = (prefix: string) => sink.accepted.filter((m) => m.text.includes(prefix)).length;
  const waitFor = async (prefix: string, count: number, ms: number) => {
    const deadline = performance.now() + ms;
    while (mailed(prefix) < count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  };
  // Warm-up, one trap at a time, each waited for: the first capture, batch, parse and mail load and compile code.
  for (let i = 0; i < WARMUP; i++) { send(`WARMUPPC${i}`); await waitFor(`WARMUPPC${i}`, 1, 60_000); }
  const sentAt = new Map<string, number>();
  const started = performance.now();
  for (let i = 0; i < TRAPS; i++) {
    const host = `BENCHPC${String(i).padStart(5, '0')}`;
    sentAt.set(host, performance.now());
    send(host);
    const next = started + (i + 1) * GAP_MS;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
  }
  await waitFor('BENCHPC', TRAPS, 60_000);
  const ms: number[] = [];
  for (const [host, t0] of sentAt) {
    const mail = sink.accepted.find((m) => m.text.includes(host));
    if (mail) ms.push(mail.at - t0);
  }
  ms.sort((a, b) => a - b);
  const missing = TRAPS - ms.length;
  console.log(`RESULT snmp trap → SMTP DATA accepted, ${ms.length} traps one every ${GAP_MS} ms (default configuration): p50 ${pct(ms, 0.5).toFixed(0)} ms, p95 ${pct(ms, 0.95).toFixed(0)} ms, p99 ${pct(ms, 0.99).toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms, ${missing} without a mail in 60 s (target p99 < 500 ms)`);
  session.close();
  await agent.stop();
  await collector.stop();
  await sink.close();
  dir.cleanup();
  if (missing > 0) process.exitCode = 1;
}

await main();
