// The notification stage's public surface: templates, the outbox, the dispatcher, channels, config, commands.
import { helpdeskCaseTemplate } from './helpdesk/index.js';

export type { Language, TemplateSource, RenderedMessage, OutgoingMessage, OutgoingAttachment, NotificationQueue } from './types.js';
export { defineTemplate, registerTemplates, getTemplate, listTemplates, escapeHtml, type Template } from './template.js';
export { NotificationOutbox, migrations, type NotificationOutboxDeps, type OutboxEntry, type OutboxState, type OutboxStats, type FailureOutcome } from './outbox.js';
export { retryPolicySchema, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
export { NotificationDispatcher, type NotificationDispatcherDeps, type TickReport, type LoopTimer, type DispatchQueue } from './dispatcher.js';
export type { Channel } from './channel.js';
export { registerNotifyMetrics, noopNotifyMetrics, type NotifyMetrics } from './metrics.js';
export { notifyConfigSchema, parseNotifyConfig, onDutyEngineerSchema, type NotifyConfig, type NotifyConfigInput, type OnDutyEngineer } from './config.js';
export { createNotifier, type Notifier, type NotifierDeps } from './notifier.js';
export { listNotifications, retryNotification, retryDeadNotifications, type NotificationSummary, type ListNotificationsOptions, type CommandResult } from './commands.js';
export { EmailChannel, createSmtpTransport, smtpFailure, type MailTransport } from './email/index.js';
export { WebhookChannel, signWebhookBody, verifyWebhookSignature } from './webhook/index.js';
export { HelpdeskChannel, defineHelpdeskCase, helpdeskCaseMessage, helpdeskCaseTemplate, type HelpdeskCaseFields } from './helpdesk/index.js';

/** The templates this module owns, for the collector's start-up registration. */
export const notifyTemplates = [helpdeskCaseTemplate];
