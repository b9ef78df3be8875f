// The contract between the agent's receivers and the rest of the agent.
import type { Capture } from '../../protocol/envelope.js';
import type { Logger } from '../../lib/logger.js';

/** Where a receiver hands a capture. The promise resolves once the capture is durable on disk (and only then may
 *  the receiver acknowledge it to its sender: an SNMP inform response, an SMTP 250). It rejects with an
 *  XpearsError('OUTBOX_REFUSING') when the outbox cannot write: the receiver must then refuse the capture. */
export interface CaptureSink {
  capture(capture: Capture): Promise<string>;
}

/** A receiver's health as reported in status, metrics and the heartbeat. */
export interface ReceiverHealth {
  name: string;
  healthy: boolean;
  /** e.g. "udp 127.0.0.1:1162" */
  listening: string;
  received: number;
  rejected: number;
  /** Rejections by reason ("community", "size", "relay", "malformed", …). */
  rejectedByReason: Record<string, number>;
  lastError: string | null;
}

/** What every receiver is given. */
export interface ReceiverDeps {
  sink: CaptureSink;
  logger: Logger;
}

/** A receiver: listens on its port(s), turns each message into a Capture and hands it to the sink. */
export interface Receiver {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): ReceiverHealth;
}

/** Counters a receiver keeps; `health()` is built from them. */
export class ReceiverCounters {
  received = 0;
  rejected = 0;
  readonly rejectedByReason: Record<string, number> = {};
  lastError: string | null = null;

  /** Counts a refused or undecodable message under its reason. */
  reject(reason: string, error?: string): void {
    this.rejected += 1;
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1;
    if (error) this.lastError = error;
  }
}
