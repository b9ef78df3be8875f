// The ticket stage: the events of one dedup key open a ticket or fold into the open one of their key. The first
// event decides under the write lock (collector/tickets/correlate.ts); the others are folded into that ticket with
// one write of its row. The draft (title, description, response due time) is written only when a ticket is opened.
import type { CaseKind } from '../../config/plans.js';
import { uuidv7 } from '../../lib/ids.js';
import type { StoredEvent } from '../../protocol/event.js';
import type { Language } from '../notify/types.js';
import { correlate, foldMore, type CorrelationInput } from '../tickets/correlate.js';
import { summaryData } from '../tickets/describe.js';
import type { Describe } from '../tickets/notify.js';
import { responseDueAt } from '../tickets/sla.js';
import { ticketSummary } from '../tickets/templates.js';
import type { KeyWork, PipelineContext, Stage } from './types.js';

// An outbreak incident (issue 17) opens with its first event's text under a title that says what it is.
const OUTBREAK_PREFIX: Record<Language, string> = { es: 'Brote en varios equipos: ', en: 'Outbreak on several computers: ' };

/** An event's title and description in a language, rendered once per language (the draft and the mails share them). */
function describeEvent(ctx: PipelineContext, event: StoredEvent, caseKind: CaseKind, customerName: string, outbreak = false): Describe {
  const rendered = new Map<Language, ReturnType<Describe>>();
  const zone = ctx.service.deps.calendar.zone;
  return (language) => {
    let text = rendered.get(language);
    if (!text) {
      text = ticketSummary.render(language, summaryData({ event, caseKind, customerName,
        count: event.count ?? 1, computers: event.computer?.name ? 1 : 0, language, zone }));
      if (outbreak) text = { ...text, subject: OUTBREAK_PREFIX[language] + text.subject };
      rendered.set(language, text);
    }
    return text;
  };
}

/** Decides the first event of a key: fills the key's customer, plan, describe, ticket and whether it was opened. */
function openOrFoldFirst(ctx: PipelineContext, work: KeyWork, event: StoredEvent, now: Date): void {
  const { service } = ctx;
  const customer = service.deps.registry.getCustomer(event.customerId);
  if (!customer) ctx.log.warn({ customerId: event.customerId, eventId: event.id }, 'ticket for a customer not in the registry');
  const plan = service.planOf(customer);
  const describe = describeEvent(ctx, event, work.caseKind, customer?.name ?? event.customerId, work.outbreak);
  const draft: CorrelationInput['draft'] = () => {
    const text = describe(service.language);
    return {
      titles: { es: describe('es').subject, en: describe('en').subject },
      id: uuidv7(now.getTime()), customerId: event.customerId, agentId: event.agentId, caseKind: work.caseKind, rule: work.rule.name,
      vendor: event.vendor, product: event.product ?? null, eventType: event.eventType, title: text.subject,
      description: text.text, language: service.language, openedAt: now.toISOString(),
      responseDueAt: responseDueAt({ plan, caseKind: work.caseKind, openedAt: now, calendar: service.deps.calendar }).toISOString(),
    };
  };
  Object.assign(work, { customer, plan, describe });
  correlateKey(ctx, work, event, now, draft);
}

/** Opens or folds one occurrence under its key (`work.key`); records the ticket and whether it was opened. */
export function correlateKey(ctx: PipelineContext, work: KeyWork, event: StoredEvent, now: Date, draft: CorrelationInput['draft']): void {
  const result = correlate(ctx.service.repo, { event, now, draft, dedupKey: work.key, windowMinutes: work.rule.dedup.windowMinutes });
  work.firstTicket = result.ticket;
  work.ticket = result.ticket;
  work.created = result.created;
  if (result.created) ctx.log.info({ ticket: result.ticket.number, rule: work.rule.name, caseKind: result.ticket.caseKind }, 'ticket opened');
}

/** Opens a ticket for a key's events or folds them into the open ticket of the key. */
export function openOrFoldTicket(ctx: PipelineContext, work: KeyWork, events: readonly StoredEvent[], now: Date): void {
  const [first, ...rest] = work.indexes.map((i) => events[i]!) as [StoredEvent, ...StoredEvent[]];
  openOrFoldFirst(ctx, work, first, now);
  if (rest.length > 0 && work.ticket) {
    const repo = ctx.service.repo;
    work.ticket = repo.inTransaction(() => foldMore(repo, work.ticket!, rest, now));
  }
}

/** The ticket stage over one key's work. */
export const ticketStage: Stage<KeyWork> = {
  name: 'ticket',
  run(work, batch, ctx) { openOrFoldTicket(ctx, work, batch.events, batch.now); },
};
