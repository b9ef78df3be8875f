// What a ticket says to a person: the data its templates render (what happened, where, what the product did, what
// we recommend), the instant format of each language, and who is told about it. Pure: no store, no clock.
import { DateTime } from 'luxon';
import type { EventType, ParsedEvent } from '../../protocol/event.js';
import type { CaseKind } from '../../config/plans.js';
import type { Customer } from '../registry/types.js';
import type { Language } from '../notify/types.js';
import { contactsForVendorProduct, type ChoiceOptions, type Recipient } from '../registry/recipients.js';
import { flagOf, type Advice } from './templates.js';
import { consoleField, DETAIL_MAX } from '../../lib/console-text.js';

/** A person a ticket mail goes to: the registry's one Recipient type. */
export type { Recipient } from '../registry/recipients.js';
export { uniqueRecipients } from '../registry/recipients.js';

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
  return fastInstant(t, language, zone) ?? luxonInstant(t, language, zone);
}

// The reference rendering; every instant the fast path declines goes here.
function luxonInstant(t: Date | string, language: Language, zone: string): string {
  const dt = (typeof t === 'string' ? DateTime.fromISO(t) : DateTime.fromJSDate(t)).setZone(zone).setLocale(language === 'es' ? 'es-AR' : 'en-GB');
  return language === 'es' ? dt.toFormat("cccc dd/MM/yyyy HH:mm '('ZZ')'") : dt.toFormat("cccc yyyy-MM-dd HH:mm '('ZZ')'");
}

// Tickets format several instants each; luxon took ~35 µs an instant. The same text from one cached
// Intl.DateTimeFormat per zone: only full ISO instants with an offset (or valid Dates), in years 1000–9999 and
// whole-minute offsets, so that anything luxon would read differently takes the reference path.
const FULL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const zoneParts = new Map<string, Intl.DateTimeFormat | null>();
const weekdayNames = new Map<Language, string[]>();
const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

function partsIn(zone: string): Intl.DateTimeFormat | null {
  let format = zoneParts.get(zone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      format = null; // a zone Intl does not know: luxon decides what to print
    }
    zoneParts.set(zone, format);
  }
  return format;
}

// Weekday names as luxon's standalone "cccc" gives them: Monday first, from Intl in the language's locale.
function weekdaysOf(language: Language): string[] {
  let names = weekdayNames.get(language);
  if (!names) {
    const format = new Intl.DateTimeFormat(language === 'es' ? 'es-AR' : 'en-GB', { weekday: 'long', timeZone: 'UTC' });
    names = Array.from({ length: 7 }, (_, i) => format.format(Date.UTC(2009, 0, 5 + i)));
    weekdayNames.set(language, names);
  }
  return names;
}

function fastInstant(t: Date | string, language: Language, zone: string): string | undefined {
  if (typeof t === 'string' && !FULL_ISO.test(t)) return undefined;
  const ms = typeof t === 'string' ? Date.parse(t) : t.getTime();
  const format = partsIn(zone);
  if (Number.isNaN(ms) || format === null) return undefined;
  const p: Record<string, number> = {};
  for (const part of format.formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const { year, month, day, hour, minute, second } = p as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  if (!(year >= 1000 && year <= 9999)) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsetMs = wall - (ms - (((ms % 1000) + 1000) % 1000));
  if (offsetMs % 60_000 !== 0) return undefined;
  const offsetMinutes = offsetMs / 60_000;
  const abs = Math.abs(offsetMinutes);
  const offset = `${offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
  const weekday = weekdaysOf(language)[(new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7];
  return language === 'es'
    ? `${weekday} ${two(day)}/${two(month)}/${year} ${two(hour)}:${two(minute)} (${offset})`
    : `${weekday} ${year}-${two(month)}-${two(day)} ${two(hour)}:${two(minute)} (${offset})`;
}

// A name appears in the title (a mail's subject) as well as the description: capped for the shorter of the two.
const CAP = { inTitle: 80 } as const;

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
    // Every field below that a console wrote is one capped line without controls; the templates quote it.
    summary: consoleField(event.summary, DETAIL_MAX) ?? event.eventType,
    customer: input.customerName,
    product: consoleField(event.product, 100),
    computer: { name: consoleField(event.computer?.name, CAP.inTitle), ip: consoleField(event.computer?.ip, 64),
      user: consoleField(event.computer?.user, 100) },
    threat: { name: consoleField(event.threat?.name, CAP.inTitle), type: consoleField(event.threat?.type, 100),
      object: consoleField(event.threat?.object, DETAIL_MAX) },
    action: consoleField(event.actionText, 100) ?? (event.action && event.action !== 'unknown' ? event.action : undefined),
    handled: handled === true,
    notHandled: handled === false,
    count: input.count,
    computers: input.computers,
    many: input.count > 1,
    type: { [flagOf(event.eventType)]: true },
    act: { [flagOf(event.action ?? 'unknown')]: true },
    occurredAt: formatInstant(event.occurredAt, input.language, input.zone),
    advice: { [adviceFor(event, input.caseKind)]: true },
  };
}

/** The customer's contacts for the vendor (and product) a ticket concerns, by the one rule of
 *  collector/registry/recipients.ts (docs/notifications.md, "Who receives what"); a fallback is logged on `log`. */
export function designatedContacts(customer: Customer | undefined, vendor: string | null, product?: string | null,
  log?: ChoiceOptions['log']): Recipient[] {
  return contactsForVendorProduct(customer, vendor, product, { about: 'ticket', ...(log ? { log } : {}) });
}
