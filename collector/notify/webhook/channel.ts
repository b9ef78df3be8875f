// The webhook channel: an outbox entry becomes one signed JSON POST (undici) to the webhook its `to` names.
import { request, type Dispatcher } from 'undici';
import type { Clock } from '../../../lib/clock.js';
import { classifyHttpStatus, DeliveryError } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/logger.js';
import type { Channel } from '../channel.js';
import type { OutboxEntry } from '../outbox-schema.js';
import type { WebhooksConfig } from './config.js';
import { DELIVERY_HEADER, signWebhookBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './sign.js';

/** The JSON body every webhook receives. */
export interface WebhookBody {
  id: string;
  subject: string;
  text: string;
  payload: unknown;
  ref: OutboxEntry['subjectRef'] | null;
  createdAt: string;
}

/** What the channel needs: the webhooks by id, the clock for the signature time, a logger; tests may pass a dispatcher. */
export interface WebhookChannelDeps {
  webhooks: WebhooksConfig;
  clock: Clock;
  logger: Logger;
  dispatcher?: Dispatcher;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Maps an undici failure (no HTTP status) to a DeliveryError. */
export function httpFailure(error: unknown, url: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = `webhook ${url}: ${typeof e.message === 'string' ? e.message : String(error)}`;
  if (TIMEOUT_CODES.has(code) || e.name === 'TimeoutError' || e.name === 'AbortError') return new DeliveryError(message, 'timeout', true);
  if (code.startsWith('E') || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return new DeliveryError(message, 'network', true);
  return new DeliveryError(message, 'unknown', true);
}

/** Delivers webhook entries, signed with the webhook's secret. */
export class WebhookChannel implements Channel {
  readonly name = 'webhook' as const;

  constructor(private readonly deps: WebhookChannelDeps) {}

  /** POSTs the entry; resolves on a 2xx, rejects with a DeliveryError otherwise. */
  async send(entry: OutboxEntry): Promise<void> {
    const webhookId = entry.to[0] ?? '';
    const webhook = this.deps.webhooks[webhookId];
    // Configuration may have dropped the webhook since the message was queued: waiting will not bring it back.
    if (!webhook) throw new DeliveryError(`no webhook is configured with the id "${webhookId}"`, 'client', false);
    const body: WebhookBody = {
      id: entry.id,
      subject: entry.message.subject,
      text: entry.message.text,
      payload: entry.payload ?? null,
      ref: entry.subjectRef ?? null,
      createdAt: entry.createdAt.toISOString(),
    };
    const rawBody = JSON.stringify(body);
    const timestamp = Math.floor(this.deps.clock().getTime() / 1000);
    const headers: Record<string, string> = {
      ...webhook.headers,
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'xpears-relay',
      [SIGNATURE_HEADER]: signWebhookBody(webhook.secret, timestamp, rawBody),
      [TIMESTAMP_HEADER]: String(timestamp),
      [DELIVERY_HEADER]: entry.id,
    };
    let status: number;
    let snippet: string;
    try {
      const response = await request(webhook.url, {
        method: 'POST',
        headers,
        body: rawBody,
        headersTimeout: webhook.timeoutMs,
        bodyTimeout: webhook.timeoutMs,
        // The whole exchange, connection included, within the webhook's timeout.
        signal: AbortSignal.timeout(webhook.timeoutMs),
        ...(this.deps.dispatcher ? { dispatcher: this.deps.dispatcher } : {}),
      });
      status = response.statusCode;
      snippet = (await response.body.text()).slice(0, 200);
    } catch (err) {
      throw httpFailure(err, webhook.url);
    }
    if (status >= 200 && status < 300) return;
    const { reason, retryable } = classifyHttpStatus(status);
    throw new DeliveryError(`webhook ${webhookId} answered ${status}${snippet ? `: ${snippet}` : ''}`, reason, retryable);
  }
}
