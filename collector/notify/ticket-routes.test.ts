// notify.tickets: a customer's keys replace the global ones, steps filter webhooks, and the section is checked
// against the rest of notify (known webhook ids, a help-desk mailbox).
import { describe, expect, it } from 'vitest';
import { notifyConfigSchema } from './config.js';
import { routeFor, ticketRoutesSchema, TICKET_STEPS } from './ticket-routes.js';

const base = {
  smtp: { host: 'smtp.example' }, from: { address: 'cas@example.com' },
  webhooks: { soc: { url: 'https://soc.example/h', secret: 'x'.repeat(16) }, itsm: { url: 'https://itsm.example/h', secret: 'y'.repeat(16) } },
};

describe('routeFor', () => {
  const routes = ticketRoutesSchema.parse({
    webhooks: [{ webhook: 'soc' }, { webhook: 'itsm', steps: ['opened', 'resolved'] }],
    helpdesk: true,
    customers: { quiet: { webhooks: [], helpdesk: false }, acme: { webhooks: [{ webhook: 'itsm', steps: ['breached'] }] } },
  });

  it('gives the global route, a webhook without steps taking every step', () => {
    const r = routeFor(routes, 'anyone');
    expect(TICKET_STEPS.map((s) => r.webhooksFor(s))).toEqual([['soc', 'itsm'], ['soc'], ['soc'], ['soc', 'itsm'], ['soc'], ['soc']]);
    expect(r.helpdesk).toBe(true);
  });

  it("lets a customer's keys replace the global ones, and only those", () => {
    expect(routeFor(routes, 'quiet').webhooksFor('opened')).toEqual([]);
    expect(routeFor(routes, 'quiet').helpdesk).toBe(false);
    expect(routeFor(routes, 'acme').webhooksFor('opened')).toEqual([]);
    expect(routeFor(routes, 'acme').webhooksFor('breached')).toEqual(['itsm']);
    expect(routeFor(routes, 'acme').helpdesk).toBe(true);
    expect(routeFor(routes, 'constructor').webhooksFor('opened')).toEqual(['soc', 'itsm']);
  });

  it('sends nothing without the section', () => {
    expect(routeFor(undefined, 'acme').webhooksFor('opened')).toEqual([]);
    expect(routeFor(undefined, 'acme').helpdesk).toBe(false);
  });
});

describe('the notify.tickets section', () => {
  const problems = (tickets: unknown, extra: object = {}): string[] => {
    const r = notifyConfigSchema.safeParse({ ...base, ...extra, tickets });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('refuses unknown webhook ids, steps and keys, and a help desk without a mailbox', () => {
    expect(problems({ webhooks: [{ webhook: 'nope' }] })).toEqual([expect.stringMatching(/^tickets\.webhooks\.0\.webhook: no webhook "nope"/)]);
    expect(problems({ customers: { acme: { webhooks: [{ webhook: 'gone' }] } } })).toEqual([expect.stringMatching(/^tickets\.customers\.acme\.webhooks\.0\.webhook: /)]);
    expect(problems({ helpdesk: true })).toEqual(['tickets.helpdesk: set notify.helpdesk.mailbox to send cases to a help desk']);
    expect(problems({ webhooks: [{ webhook: 'soc', steps: ['reopened'] }] })).toHaveLength(1);
    expect(problems({ webhook: [] })).toHaveLength(1);
  });

  it('accepts a valid section, and none at all', () => {
    expect(problems({ webhooks: [{ webhook: 'soc', steps: ['opened'] }], helpdesk: true }, { helpdesk: { mailbox: 'mesa@example.com' } })).toEqual([]);
    expect(notifyConfigSchema.parse(base).tickets).toEqual({ webhooks: [], helpdesk: false, customers: {} });
  });
});
