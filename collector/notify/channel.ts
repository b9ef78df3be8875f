// The contract every delivery channel (email/, webhook/, helpdesk/) fulfils for the dispatcher.
import type { OutboxEntry } from './outbox-schema.js';
import type { OutgoingMessage } from './types.js';

/** A way out of the collector. `send` resolves when the other side accepted the message and rejects with a
 *  DeliveryError that says whether trying again can help; any other error is treated as retryable 'unknown'. */
export interface Channel {
  readonly name: OutgoingMessage['channel'];
  send(message: OutboxEntry): Promise<void>;
  /** Releases connections (an SMTP pool); called when the dispatcher stops. */
  close?(): Promise<void> | void;
}
