// What a ticket says to a person: the data its templates render (what happened, where, what the product did, what
// we recommend), the instant format of each language, and who is told about it. Pure: no store, no clock.
import { DateTime } from 'luxon';
import type { EventType, ParsedEvent } from '../../protocol/event.js';
import type { CaseKind } from '../../config/plans.js';
import type { Customer } from '../registry/types.js';
import type { Language } from '../notify/types.js';
import type { Advice } from './templates.js';

/** A person a ticket mail goes to. */
export interface Recipient {
  name: string;
  email: string;
  language: Language;
}

const ADVICE_BY_TYPE: Partial<Record<EventType, Advice>> = {
  ransomware: 'ransomware', 'threat-not-cleaned': 'threatOpen', outbreak: 'outbreak', 'edr-alert': 'edr',
  'server-health': 'server', 'client-not-connected': 'clients', 'firewall-attack': 'network',
  'definitions-outdated': 'definitions', licence: 'licence', 'authentication-failure': 'access', audit: 'access',
};

/** The advice a ticket's description ends with, by event type (a threat the product did not handle: threatOpen). */
export function adviceFor(event: Pick<ParsedEvent, 'eventType'>, caseKind: CaseKind): Advice {
  const byType = ADVICE_BY_TYPE[event.eventType];
  if (byType) return byType;
  return caseKind === 'threat-incident' ? 'threatOpen' : 'general';
}

const KIND_FLAG: Record<CaseKind, string> = {
  'threat-incident': 'threat', 'severity-1': 'sev1', 'severity-2': 'sev2', 'severity-3': 'sev3', 'severity-4': 'sev4',
};

/** An instant as a person of that language reads it, in the calendar's zone: "viernes 20/03/2026 16:50 (-03:00)". */
export function formatInstant(t: Date | string, language: Language, zone: string): string {
  const dt = (typeof t === 'string' ? DateTime.fromISO(t) : DateTime.fromJSDate(t)).setZone(zone).setLocale(language === 'es' ? 'es-AR' : 'en-GB');
  return language === 'es' ? dt.toFormat("cccc dd/MM/yyyy HH:mm '('ZZ')'") : dt.toFormat("cccc yyyy-MM-dd HH:mm '('ZZ')'");
}

/** The data of the ticketSummary template for an event. */
export function summaryData(input: {
  event: ParsedEvent;
  caseKind: CaseKind;
  customerName: string;
  count: number;
  computers: number;
  language: Language;
  zone: string;
}): Record<string, unknown> {
  const { event } = input;
  const handled = event.handled ?? (event.action && event.action !== 'unknown' ? !['left-alone', 'failed'].includes(event.action) : undefined);
  return {
    kind: { [KIND_FLAG[input.caseKind]]: true },
    summary: event.summary || event.eventType,
    customer: input.customerName,
    product: event.product,
    computer: { name: event.computer?.name, ip: event.computer?.ip, user: event.computer?.user },
    threat: { name: event.threat?.name, type: event.threat?.type, object: event.threat?.object },
    action: event.actionText ?? (event.action && event.action !== 'unknown' ? event.action : undefined),
    handled: handled === true,
    notHandled: handled === false,
    count: input.count,
    computers: input.computers,
    occurredAt: formatInstant(event.occurredAt, input.language, input.zone),
    advice: { [adviceFor(event, input.caseKind)]: true },
  };
}

/**
 * The customer's designated contacts for the vendor a ticket concerns (Contact.products names the customer's
 * ProductHolding titles); all contacts when none is designated for it, so an alert never goes nowhere.
 */
export function designatedContacts(customer: Customer | undefined, vendor: string | null): Recipient[] {
  if (!customer) return [];
  const titles = new Set(customer.products.filter((p) => p.vendor === vendor).map((p) => p.product));
  const designated = customer.contacts.filter((c) => c.products.some((title) => titles.has(title)));
  const chosen = designated.length > 0 ? designated : customer.contacts;
  return chosen.map((c) => ({ name: c.name, email: c.email, language: c.language }));
}

/** Recipients without repeats (an engineer may also be a contact): the first mention of an address wins. */
export function uniqueRecipients(...lists: readonly Recipient[][]): Recipient[] {
  const seen = new Set<string>();
  const out: Recipient[] = [];
  for (const r of lists.flat()) {
    const key = r.email.trim().toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}
