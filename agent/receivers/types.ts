// The contract between the agent's receivers and the rest of the agent.
import type { Capture } from '../../protocol/envelope.js';
import type { Logger } from '../../lib/logger.js';
import type { Clock } from '../../lib/clock.js';
import type { RetryLedger } from '../outbox/retry-ledger.js';

/** What a receiver may ask of one capture's write. */
export interface CaptureOptions {
  /** Runs inside the transaction that makes the capture durable (the retry ledger records its key there). */
  withinWrite?: (envelopeId: string) => void;
}

/** Where a receiver hands a capture. The promise resolves once the capture is durable on disk (and only then may
 *  the receiver acknowledge it to its sender: an SNMP inform response, an SMTP 250). It rejects with an
 *  XpearsError('OUTBOX_REFUSING') when the outbox cannot write: the receiver must then refuse the capture. */
export interface CaptureSink {
  capture(capture: Capture, options?: CaptureOptions): Promise<string>;
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
  /** The clock; the system clock when absent. */
  clock?: Clock;
  /** Remembers the keys of captures a sender may retry (informs, mails); no suppression when absent. */
  retries?: RetryLedger;
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
