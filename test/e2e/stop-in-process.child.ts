// Run as its own process by stop-in-process.test.ts: a collector (with its ingest worker and checkpoint thread) and an
// agent started in this process, one syslog line carried through them, then both stopped with nothing else alive. A
// stop that awaits an unref'd handle lets the event loop empty: Node then ends the process with code 13 before the
// stop resolves. Prints each stop as it resolves; exits by itself once everything is closed.
import { connect } from 'node:net';
import { join } from 'node:path';
import { startAgent } from '../../agent/index.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import { agentConfigFor, collectorConfigFor, enrollAcme, eventually, freeUdpPort, runCollector } from './harness.js';

const dir = process.argv[2]!;
const { token } = await enrollAcme(join(dir, 'collector'));
// One ingest worker whatever the machine's cores: the worker thread and the checkpointer are what is under test.
const collector = await runCollector(collectorConfigFor(join(dir, 'collector'), 0, { ingest: { workers: 1 } }));
const agent = await startAgent(agentConfigFor(join(dir, 'agent'), collector.url, token, await freeUdpPort(), {
  receivers: { syslog: { tcp: { port: 0 } } },
}), { logger: silentLogger(), clock: systemClock });
const tcpPort = Number(/tcp [^,]*:(\d+)/.exec(agent.receivers.find((r) => r.name === 'syslog')!.health().listening)?.[1]);
await new Promise<void>((resolve, reject) => {
  const s = connect(tcpPort, '127.0.0.1', () => s.end('<134>1 2026-12-01T10:00:00Z srv app - - - a line to carry\n', () => resolve()));
  s.on('error', reject);
});
const count = () => collector.db.prepare('SELECT COUNT(*) FROM envelopes').pluck().get() as number;
if (!(await eventually(() => count() === 1 && agent.outbox.stats().depth === 0, 30_000))) throw new Error('the line did not reach the collector');
console.log('line stored');
await agent.stop();
console.log('agent stop resolved');
await collector.stop();
console.log('collector stop resolved');
