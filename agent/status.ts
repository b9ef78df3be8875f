// What `xpears agent status` shows: the agent's state and, first, anything a person must act on.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { OutboxStats } from './outbox/index.js';
import type { ForwarderState } from './forwarder.js';
import type { ReceiverHealth } from './receivers/types.js';

/** The agent's status document (GET /status). */
export interface AgentStatus {
  version: string;
  collectorUrl: string;
  startedAt: string;
  outbox: OutboxStats;
  forwarder: ForwarderState;
  heartbeat: { lastSentAt: string | null; lastError: string | null };
  receivers: ReceiverHealth[];
  /** Problems a person must act on, in plain words; empty when all is well. */
  problems: string[];
}

/** Derives the problems from the state, worst first. */
export function agentProblems(s: Omit<AgentStatus, 'problems'>, now: Date): string[] {
  const p: string[] = [];
  if (s.outbox.refusing) p.push(`the outbox refuses captures: ${s.outbox.lastError ?? 'write failed'} (free disk space or raise outbox.maxBytes)`);
  for (const r of s.receivers) if (!r.healthy) p.push(`receiver ${r.name} is not listening (${r.lastError ?? 'stopped'})`);
  if (s.forwarder.consecutiveFailures > 0) {
    const oldest = s.outbox.oldestCapturedAt ? Math.round((now.getTime() - Date.parse(s.outbox.oldestCapturedAt)) / 1000) : 0;
    p.push(`cannot reach the collector (${s.forwarder.consecutiveFailures} failures, last: ${s.forwarder.lastError ?? '?'}); ${s.outbox.depth} envelopes wait, the oldest ${oldest}s old`);
  }
  if (s.outbox.deadLettered > 0) p.push(`${s.outbox.deadLettered} envelopes were rejected by the collector and kept as dead letters`);
  if (s.heartbeat.lastError) p.push(`heartbeat not delivered: ${s.heartbeat.lastError}`);
  return p;
}

/** Serves GET /status and GET /metrics on the agent's local status port. */
export function startStatusServer(address: string, port: number, status: () => AgentStatus, metrics: Registry): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.url === '/status') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status()));
      } else if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(await metrics.metrics());
      } else {
        res.writeHead(404).end();
      }
    })().catch(() => { if (!res.headersSent) res.writeHead(500); res.end(); });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve(server));
  });
}
