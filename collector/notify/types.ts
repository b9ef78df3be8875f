// The contract between the modules that speak to people (tickets, advisories, reports) and the notification outbox.

import type { Language } from '../../lib/people.js';

/** The languages a person can read our messages in (defined in lib/people.ts). */
export type { Language };

/** A message template: defined once per module, checked when defined, rendered with data.
 *  Implemented in collector/notify/template.ts. Placeholders are `{{path.to.value}}`; a placeholder that is not
 *  among `variables` makes defineTemplate throw (so a typo fails at start-up, not as a blank in a mail), and
 *  rendering with data that lacks a declared variable throws too. */
export interface TemplateSource {
  id: string;
  /** Every variable the texts may use (dotted paths allowed: "ticket.number"). */
  variables: readonly string[];
  es: { subject: string; text: string; html?: string };
  en: { subject: string; text: string; html?: string };
}

/** A rendered message. */
export interface RenderedMessage {
  subject: string;
  text: string;
  html?: string;
}

/** A file sent along: the PDF report, for instance. */
export interface OutgoingAttachment {
  filename: string;
  path: string;
  contentType: string;
}

/** One message to put in the durable outbox. Rendered before it is queued, so what is stored is what is sent. */
export interface OutgoingMessage {
  channel: 'email' | 'webhook' | 'helpdesk';
  /** E-mail addresses (email, helpdesk) or the configured webhook's id. */
  to: string[];
  message: RenderedMessage;
  /** JSON payload for a webhook. */
  payload?: unknown;
  attachments?: OutgoingAttachment[];
  /** The same key queued twice is stored once: retries of the caller never send twice. */
  dedupKey?: string;
  /** What the message is about, for listing and for the monthly report. */
  subjectRef?: { kind: 'ticket' | 'advisory' | 'report' | 'digest' | 'agent'; id: string; customerId?: string };
}

/** The notification outbox as the rest of the collector sees it. */
export interface NotificationQueue {
  /** Stores the message durably; returns its id, or the existing id when dedupKey was queued before. */
  enqueue(message: OutgoingMessage): string;
  /** Optional: stores many messages at once (one transaction); returns their ids in order, each as enqueue would.
   *  A caller with many messages uses it when present and falls back to enqueue. */
  enqueueMany?(messages: readonly OutgoingMessage[]): string[];
}
