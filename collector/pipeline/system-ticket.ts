// A ticket that no event produced (an agent gone silent, collector/escalation/agent-silence.ts): it takes the ticket
// and notify stages of the pipeline, with a title and description the caller renders.
import type { CaseKind } from '../../config/plans.js';
import { uuidv7 } from '../../lib/ids.js';
import type { StoredEvent } from '../../protocol/event.js';
import type { CorrelationInput } from '../tickets/correlate.js';
import type { Describe } from '../tickets/notify.js';
import type { Ticket } from '../tickets/repository.js';
import { responseDueAt } from '../tickets/sla.js';
import { notifyOpened } from './notify.js';
import { correlateKey } from './ticket.js';
import type { KeyWork, PipelineContext } from './types.js';

/** A ticket-opening request that does not come from an event (an agent gone silent). */
export interface SystemTicketInput {
  customerId: string;
  agentId: string | null;
  caseKind: CaseKind;
  rule: string;
  dedupKey: string;
  occurrenceId: string;
  occurredAt: string;
  /** Title (subject) and description (text) in a language: a template's render. */
  describe: Describe;
  now: Date;
}

/** Opens (or folds into) the open ticket of the input's key, and mails a ticket it opened, in one transaction. */
export function openSystemTicket(ctx: PipelineContext, input: SystemTicketInput): { ticket: Ticket; created: boolean } {
  const { service } = ctx;
  const customer = service.deps.registry.getCustomer(input.customerId);
  const plan = service.planOf(customer);
  const rule = { name: input.rule, dedup: { key: ['agent' as const], windowMinutes: 60 * 24 * 90 } };
  const occurrence = { id: input.occurrenceId, occurredAt: input.occurredAt } as StoredEvent;
  const text = input.describe(service.language);
  const draft: CorrelationInput['draft'] = () => ({
    titles: { es: input.describe('es').subject, en: input.describe('en').subject },
    id: uuidv7(input.now.getTime()), customerId: input.customerId, agentId: input.agentId, caseKind: input.caseKind,
    rule: input.rule, vendor: null, product: null, eventType: null, title: text.subject, description: text.text,
    language: service.language, openedAt: input.now.toISOString(),
    responseDueAt: responseDueAt({ plan, caseKind: input.caseKind, openedAt: input.now, calendar: service.deps.calendar }).toISOString(),
  });
  const work: KeyWork = { key: input.dedupKey, rule, caseKind: input.caseKind, indexes: [], customer, plan, describe: input.describe };
  // One transaction for the ticket and its mail: a crash leaves both or neither.
  return service.repo.inTransaction(() => {
    correlateKey(ctx, work, occurrence, input.now, draft);
    notifyOpened(ctx, work);
    return { ticket: work.ticket!, created: work.created === true };
  });
}
