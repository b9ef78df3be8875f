// The `notify.tickets` section: which steps of a ticket's life go to which webhooks, and whether each new case is
// also sent to the help-desk mailbox as a case e-mail; globally, and per customer (a customer's entry replaces the
// global value of each key it sets). docs/notifications.md, "Tickets on webhooks and at a help desk".
import { z } from 'zod';

/** The steps of a ticket's life a webhook can be told about. `breached`: the first-response target passed. */
export const TICKET_STEPS = ['opened', 'acknowledged', 'escalated', 'resolved', 'closed', 'breached'] as const;
/** One step of a ticket's life. */
export type TicketStep = (typeof TICKET_STEPS)[number];

/** One webhook (an id of `notify.webhooks`) and the steps it receives (default: every step). */
export const ticketWebhookRouteSchema = z.strictObject({
  webhook: z.string().min(1),
  steps: z.array(z.enum(TICKET_STEPS)).min(1).default([...TICKET_STEPS]),
});

/** Where one customer's (or every customer's) ticket steps go. */
export const ticketRouteSchema = z.strictObject({
  /** Webhooks told about the steps listed with each. */
  webhooks: z.array(ticketWebhookRouteSchema).optional(),
  /** Each new case is also mailed to `notify.helpdesk.mailbox` in the manuals' case format. */
  helpdesk: z.boolean().optional(),
});

/** The `notify.tickets` section: the global route, and per customer id the keys that replace it. */
export const ticketRoutesSchema = z.strictObject({
  webhooks: z.array(ticketWebhookRouteSchema).default([]),
  helpdesk: z.boolean().default(false),
  customers: z.record(z.string().min(1), ticketRouteSchema).default({}),
});

/** The validated `notify.tickets` section. */
export type TicketRoutes = z.infer<typeof ticketRoutesSchema>;

/** What a customer's tickets go to besides e-mail. */
export interface ResolvedTicketRoute {
  /** Webhook ids per step. */
  webhooksFor(step: TicketStep): string[];
  helpdesk: boolean;
}

/** The route of one customer: its own keys where it has them, the global ones otherwise. */
export function routeFor(routes: TicketRoutes | undefined, customerId: string): ResolvedTicketRoute {
  if (!routes) return { webhooksFor: () => [], helpdesk: false };
  const own = Object.hasOwn(routes.customers, customerId) ? routes.customers[customerId] : undefined;
  const webhooks = own?.webhooks ?? routes.webhooks;
  return {
    webhooksFor: (step) => [...new Set(webhooks.filter((w) => w.steps.includes(step)).map((w) => w.webhook))],
    helpdesk: own?.helpdesk ?? routes.helpdesk,
  };
}

/** The problems of a routes section against the rest of `notify`: unknown webhook ids, a help desk without mailbox. */
export function routeProblems(routes: TicketRoutes, webhookIds: readonly string[], hasMailbox: boolean): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const known = new Set(webhookIds);
  const check = (list: TicketRoutes['webhooks'] | undefined, base: (string | number)[]): void => {
    list?.forEach((w, i) => {
      if (!known.has(w.webhook)) {
        problems.push({ path: [...base, 'webhooks', i, 'webhook'], message: `no webhook "${w.webhook}" in notify.webhooks (known: ${[...known].join(', ') || 'none'})` });
      }
    });
  };
  check(routes.webhooks, []);
  if (routes.helpdesk && !hasMailbox) problems.push({ path: ['helpdesk'], message: 'set notify.helpdesk.mailbox to send cases to a help desk' });
  for (const [id, own] of Object.entries(routes.customers)) {
    check(own.webhooks, ['customers', id]);
    if (own.helpdesk && !hasMailbox) problems.push({ path: ['customers', id, 'helpdesk'], message: 'set notify.helpdesk.mailbox to send cases to a help desk' });
  }
  return problems;
}
