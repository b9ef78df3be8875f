// Settings of the generic webhooks: each has an id that messages name in their `to`.
import { z } from 'zod';

/** One webhook: where to POST, the shared secret of the signature, how long to wait. */
export const webhookConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** Shared with the receiver, who recomputes the HMAC; short secrets are guessable. */
  secret: z.string().min(16, { message: 'use a secret of at least 16 characters' }),
  timeoutMs: z.number().int().positive().max(120_000).default(10_000),
  /** Extra headers the receiver wants (a routing key); never the signature, which is ours. */
  headers: z.record(z.string(), z.string()).default({}),
});

/** Validated settings of one webhook. */
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** The webhooks by id ("soc-chat", "siem"). */
export const webhooksConfigSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'ids are lower-case letters, digits, ".", "_" and "-"' }), webhookConfigSchema).default({});

/** Validated webhooks by id. */
export type WebhooksConfig = z.infer<typeof webhooksConfigSchema>;
