// Benchmark: a ransomware line at the agent → the ticket's mail accepted by an SMTP server, end to end through the
// real agent, collector and an SMTP sink, on the default configuration (dispatch.intervalMs 5 s: the mail leaves
// because the queued message wakes the dispatcher, issue 20). One line at a time, each a new computer and a new threat
// name (a new ticket: the same threat on several computers would be folded into one outbreak incident, issue 17).
// Prints p50, p99 and max in ms. Target: p99 under 500 ms.
//   node --import tsx bench/trap-to-mail.ts        env: BENCH_SAMPLES=40
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startAgent } from '../agent/index.js';
import { Registry } from '../collector/registry/index.js';
import { resolvePlans } from '../config/plans.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';
import { startSmtpSink } from '../test/notify/smtp-sink.js';
import { ROOT, agentConfigFor, collectorConfigFor, enrollAcme, freeUdpPort, runCollector, tempDir } from '../test/e2e/harness.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/eset/04-json-ransomware-occurred-spelling.json'), 'utf8')) as { envelope: { syslog: { line: string } } };
const head = fixture.envelope.syslog.line.slice(0, fixture.envelope.syslog.line.indexOf('{'));
const body = JSON.parse(fixture.envelope.syslog.line.slice(head.length)) as Record<string, unknown>;

async function main(): Promise<void> {
  const dir = tempDir('xpears-bench-mail-');
  const dataDir = join(dir.path, 'collector');
  const { token } = await enrollAcme(dataDir);
  const registry = await Registry.open(join(dataDir, 'registry.json'), resolvePlans());
  await registry.addContact('acme', { name: 'Ana', email: 'ana@acme.example', language: 'es', products: ['ESET PROTECT Entry'] });
  const sink = await startSmtpSink();
  const collector = await runCollector(collectorConfigFor(dataDir, 0, { notify: {
    smtp: { host: '127.0.0.1', port: sink.port, starttls: 'never' }, from: { address: 'cas@xpears.example' } } }));
  const agent = await startAgent(agentConfigFor(join(dir.path, 'agent'), collector.url, token, await freeUdpPort(), {
    forwarder: {}, receivers: { syslog: { udp: { port: 0 } } } }), { logger: silentLogger(), clock: systemClock });
  const port = Number(/udp [^,]*:(\d+)/.exec(agent.receivers.find((r) => r.name === 'syslog')!.health().listening)?.[1]);
  const udp = createSocket('udp4');
  const ms: number[] = [];
  for (let i = 0; i < SAMPLES + 3; i++) {
    const host = `BENCH-PC-${i}`;
    const line = head + JSON.stringify({ ...body, hostname: host, threat_name: `Win32/Filecoder.Bench${i}.A` });
    const seen = sink.messages.length;
    const t0 = performance.now();
    udp.send(Buffer.from(line), port, '127.0.0.1');
    for (;;) {
      if (sink.messages.slice(seen).some((m) => `${m.subject ?? ''} ${m.text ?? ''}`.includes(host))) break;
      if (performance.now() - t0 > 30_000) throw new Error(`no mail for ${host} in 30 s`);
      await new Promise((r) => setTimeout(r, 1));
    }
    if (i >= 3) ms.push(performance.now() - t0); // the first three warm up
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]!.toFixed(0);
  console.log(`trap → mail, ${ms.length} samples, dispatch.intervalMs default: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${ms.at(-1)!.toFixed(0)} ms`);
  udp.close();
  await agent.stop();
  await collector.stop();
  await sink.close();
  dir.cleanup();
}

await main();
