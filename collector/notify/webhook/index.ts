// The webhook channel: signed JSON POSTs through undici, with its settings and the signature helpers receivers use.
export { webhookConfigSchema, webhooksConfigSchema, type WebhookConfig, type WebhooksConfig } from './config.js';
export { WebhookChannel, httpFailure, type WebhookBody, type WebhookChannelDeps } from './channel.js';
export { signWebhookBody, verifyWebhookSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, DELIVERY_HEADER } from './sign.js';
