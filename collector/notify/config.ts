// The `notify` section of the collector's configuration: SMTP, sender, webhooks, CAS mailbox, retries, on-duty staff,
// and where ticket steps go besides e-mail.
import { z } from 'zod';
import { XpearsError } from '../../lib/errors.js';
import { deepFreeze } from '../../config/load.js';
import { fromConfigSchema, smtpConfigSchema } from './email/config.js';
import { helpdeskConfigSchema } from './helpdesk/config.js';
import { retryPolicySchema } from './retry-policy.js';
import { routeProblems, ticketRoutesSchema } from './ticket-routes.js';
import { webhooksConfigSchema } from './webhook/config.js';

/** An engineer on duty: receives every new ticket and every change, in their language. */
export const onDutyEngineerSchema = z.strictObject({
  name: z.string().trim().min(1),
  email: z.email(),
  language: z.enum(['es', 'en']).default('es'),
});

/** How the dispatcher works through the outbox. */
export const dispatchConfigSchema = z.strictObject({
  /** Pause between two passes over the outbox. */
  intervalMs: z.number().int().min(100).default(5_000),
  /** Most messages one pass sends, so that a flood cannot hold the loop for long. */
  batchSize: z.number().int().min(1).max(10_000).default(100),
  /** How long a message taken for sending is hidden from other dispatchers: longer than the slowest send. */
  leaseMs: z.number().int().min(1_000).default(300_000),
  /** Sent messages are kept this long for `xpears notification list`, then pruned; dead ones are kept. */
  sentRetentionDays: z.number().int().min(1).default(30),
});

/** The whole `notify` section. Unknown keys are refused, so a misspelt setting is an error, not a silent default. */
export const notifyConfigSchema = z.strictObject({
  smtp: smtpConfigSchema,
  from: fromConfigSchema,
  webhooks: webhooksConfigSchema,
  /** The CAS mailbox; without it the helpdesk channel is off and its messages go dead with a clear reason. */
  helpdesk: helpdeskConfigSchema.optional(),
  retry: retryPolicySchema.prefault({}),
  dispatch: dispatchConfigSchema.prefault({}),
  onDuty: z.array(onDutyEngineerSchema).default([]),
  /** Which ticket steps go to which webhooks, and new cases to the help desk (docs/notifications.md). */
  tickets: ticketRoutesSchema.prefault({}),
}).superRefine((n, ctx) => {
  for (const p of routeProblems(n.tickets, Object.keys(n.webhooks), n.helpdesk !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['tickets', ...p.path], message: p.message });
  }
});

/** The validated `notify` section. */
export type NotifyConfig = z.infer<typeof notifyConfigSchema>;
/** The `notify` section as written in the configuration file (defaults not applied yet). */
export type NotifyConfigInput = z.input<typeof notifyConfigSchema>;
/** One on-duty engineer. */
export type OnDutyEngineer = z.infer<typeof onDutyEngineerSchema>;

/** Validates the section; throws CONFIG_INVALID listing every problem with its dotted path. Returns it frozen. */
export function parseNotifyConfig(input: unknown, prefix = 'notify'): NotifyConfig {
  const result = notifyConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`);
    throw new XpearsError('CONFIG_INVALID', `the notification settings are not valid:\n  ${problems.join('\n  ')}`, problems);
  }
  return deepFreeze(result.data);
}
