// The heartbeat: every interval the agent tells the collector it is alive, how deep its outbox is and how its
// receivers are. A collector that stops hearing it opens an "agente sin conexión" ticket.
import { hostname } from 'node:os';
import { PROTOCOL_VERSION, type Heartbeat } from '../protocol/envelope.js';
import { HEARTBEATS_PATH } from '../protocol/paths.js';
import type { Outbox } from './outbox/index.js';
import type { Receiver } from './receivers/types.js';
import type { CollectorClient } from './http.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';

/** The agent's version, sent in every heartbeat; a package's entry sets globalThis.xpearsAgentVersion (packaging/). */
export const AGENT_VERSION: string = (globalThis as { xpearsAgentVersion?: string }).xpearsAgentVersion ?? '0.1.0';

/** Builds the heartbeat body from the outbox and receivers as they are now. */
export function buildHeartbeat(outbox: Outbox, receivers: readonly Receiver[], now: Date): Heartbeat {
  const s = outbox.stats();
  return {
    protocol: PROTOCOL_VERSION,
    agentVersion: AGENT_VERSION,
    sentAt: now.toISOString(),
    hostname: hostname().slice(0, 256),
    outbox: {
      depth: s.depth,
      oldestAgeSeconds: s.oldestCapturedAt ? Math.max(0, (now.getTime() - Date.parse(s.oldestCapturedAt)) / 1000) : null,
      deadLettered: s.deadLettered,
      refusing: s.refusing,
    },
    receivers: receivers.map((r) => {
      const h = r.health();
      return { name: h.name, healthy: h.healthy, listening: h.listening, received: h.received, rejected: h.rejected, lastError: h.lastError?.slice(0, 1024) ?? null };
    }),
  };
}

/** Sends a heartbeat now and then every interval; a failed one is logged and the next one tries again. */
export class HeartbeatSender {
  private timer: NodeJS.Timeout | null = null;
  lastSentAt: string | null = null;
  lastError: string | null = null;

  /** `onDelivered` runs after each heartbeat the collector accepted (the agent ends the forwarder's backoff). */
  constructor(private readonly client: CollectorClient, private readonly build: () => Heartbeat, private readonly intervalMs: number, private readonly clock: Clock, private readonly log: Logger,
    private readonly onDelivered: () => void = () => undefined) {}

  /** Sends one heartbeat. */
  async beat(): Promise<void> {
    try {
      await this.client.postJson(HEARTBEATS_PATH, JSON.stringify(this.build()));
      this.lastSentAt = this.clock().toISOString();
      this.lastError = null;
    } catch (err) {
      this.lastError = (err as Error).message;
      this.log.warn({ err: this.lastError }, 'heartbeat not delivered');
      return;
    }
    this.onDelivered();
  }

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
