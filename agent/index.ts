// The agent, composed: outbox ← receivers; outbox → forwarder → collector; heartbeat; status endpoint.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { AgentConfig } from './config.js';
import { Outbox } from './outbox/index.js';
import { RetryLedger } from './outbox/retry-ledger.js';
import { Forwarder } from './forwarder.js';
import { createCollectorClient } from './http.js';
import { HeartbeatSender, buildHeartbeat, AGENT_VERSION } from './heartbeat.js';
import { createAgentMetrics } from './metrics.js';
import { agentProblems, startStatusServer, type AgentStatus } from './status.js';
import type { CaptureSink, Receiver, ReceiverDeps } from './receivers/types.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { XpearsError } from '../lib/errors.js';
import { stopInOrder } from '../lib/shutdown.js';

/** A running agent. */
export interface RunningAgent {
  outbox: Outbox;
  forwarder: Forwarder;
  receivers: Receiver[];
  statusPort: number;
  status(): AgentStatus;
  stop(): Promise<void>;
}

/** The token from the configuration, its file, or the environment. */
export function resolveAgentToken(config: AgentConfig): string {
  if (config.collector.token) return config.collector.token;
  if (config.collector.tokenFile) return readFileSync(config.collector.tokenFile, 'utf8').trim();
  const env = process.env.XPEARS_AGENT_TOKEN;
  if (env) return env.trim();
  throw new XpearsError('CONFIG_INVALID', 'no agent token: set collector.tokenFile, collector.token or XPEARS_AGENT_TOKEN');
}

// Each receiver's module is loaded only when it is configured: smtp-server and mailparser alone add ~11 MB of heap
// to an agent that only receives traps. Loaded before anything is opened, so a failed import leaves nothing behind.
async function loadReceivers(r: AgentConfig['receivers']): Promise<((deps: ReceiverDeps) => Receiver)[]> {
  const make: ((deps: ReceiverDeps) => Receiver)[] = [];
  const { snmp, smtp, syslog } = r;
  if (snmp && snmp.enabled !== false) {
    const { createSnmpReceiver } = await import('./receivers/snmp/receiver.js');
    make.push((d) => createSnmpReceiver(snmp, d));
  }
  if (smtp) {
    const { createSmtpReceiver } = await import('./receivers/smtp/receiver.js');
    make.push((d) => createSmtpReceiver(smtp, d));
  }
  if (syslog) {
    const { createSyslogReceiver } = await import('./receivers/syslog/receiver.js');
    make.push((d) => createSyslogReceiver(syslog, d));
  }
  return make;
}

/** Starts every part of the agent; throws (after closing what it opened) when a receiver cannot listen. */
export async function startAgent(config: AgentConfig, deps: { logger: Logger; clock: Clock }): Promise<RunningAgent> {
  const log = deps.logger;
  const makeReceivers = await loadReceivers(config.receivers);
  const startedAt = deps.clock().toISOString();
  const outbox = Outbox.open({ path: join(config.dataDir, 'outbox.db'), clock: deps.clock, logger: log, maxBytes: config.outbox.maxBytes,
    disk: { minFreeBytes: config.outbox.minFreeBytes, reserveBytes: config.outbox.reserveBytes } });
  const client = createCollectorClient({ ...config.collector, token: resolveAgentToken(config) });
  const forwarder = new Forwarder(outbox, client, config.forwarder, log.child({ component: 'forwarder' }));
  let stopping = false;
  const sink: CaptureSink = {
    async capture(c, options) {
      if (stopping) throw new XpearsError('OUTBOX_REFUSING', 'the agent is stopping');
      const id = await outbox.capture(c, options);
      forwarder.wake();
      return id;
    },
  };
  const rdeps: ReceiverDeps = { sink, logger: log, clock: deps.clock, retries: RetryLedger.open(outbox.database, deps.clock) };
  const receivers = makeReceivers.map((make) => make(rdeps));
  const heartbeat = new HeartbeatSender(client, () => buildHeartbeat(outbox, receivers, deps.clock()), config.heartbeat.intervalSeconds * 1000, deps.clock, log.child({ component: 'heartbeat' }),
    () => forwarder.resume());

  const status = (): AgentStatus => {
    const s = {
      version: AGENT_VERSION, collectorUrl: config.collector.url, startedAt, outbox: outbox.stats(), forwarder: { ...forwarder.state },
      heartbeat: { lastSentAt: heartbeat.lastSentAt, lastError: heartbeat.lastError }, receivers: receivers.map((r) => r.health()),
    };
    return { ...s, problems: agentProblems(s, deps.clock()) };
  };

  let server: Server | undefined;
  const started: Receiver[] = [];
  try {
    for (const r of receivers) { await r.start(); started.push(r); }
    server = await startStatusServer(config.status.address, config.status.port, status, createAgentMetrics(outbox, forwarder, receivers, deps.clock));
  } catch (err) {
    for (const r of started) await r.stop().catch(() => undefined);
    outbox.close();
    await client.close();
    throw err;
  }
  forwarder.start();
  heartbeat.start();
  log.info({ collector: config.collector.url, receivers: receivers.map((r) => r.health().listening), status: `http://${config.status.address}:${(server.address() as AddressInfo).port}/status` }, 'agent started');

  return {
    outbox, forwarder, receivers, statusPort: (server.address() as AddressInfo).port, status,
    // Refuse new captures, write those waiting and let their answers go out while the sockets are open, then close
    // the receivers, the forwarder (after its batches in flight), the status endpoint, the client and the file.
    async stop() {
      stopping = true;
      heartbeat.stop();
      await stopInOrder(log, [
        ['pending captures', async () => { outbox.writePending(); for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r)); }],
        ...receivers.map((r): [string, () => Promise<void>] => [`receiver ${r.health().name}`, () => r.stop()]),
        ['forwarder', () => forwarder.stop()], ['status', () => new Promise<void>((resolve) => server!.close(() => resolve()))],
        ['client', () => client.close()], ['outbox', () => outbox.close()],
      ]);
      log.info('agent stopped');
    },
  };
}
