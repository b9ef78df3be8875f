// The pipeline's one contract: a stage is a name and a step over its unit of work, given the batch's instant by the
// caller. What the stages share (the batch, one dedup key's work, the context) is declared here.
import type { CaseKind, Plan } from '../../config/plans.js';
import type { Logger } from '../../lib/logger.js';
import type { StoredEvent } from '../../protocol/event.js';
import type { Customer } from '../registry/types.js';
import type { Outcome, TriageRule } from '../triage/rules.js';
import type { Describe } from '../tickets/notify.js';
import type { Ticket } from '../tickets/repository.js';
import type { TicketService } from '../tickets/service.js';
import type { NoiseContext } from '../noise/context.js';
import type { Suppression } from '../noise/store.js';

/** What happened to one event. */
export interface EventOutcome {
  outcome: Outcome;
  rule: string;
  ticket: Ticket | null;
  created: boolean;
  /** The maintenance window or silence that kept the event from a ticket. */
  suppressedBy?: Suppression;
}

/** What every stage may use: the ticket service (its repository, notifier and settings) and a logger. */
export interface PipelineContext {
  service: TicketService;
  log: Logger;
  /** Windows, silences and storm settings; default: the ticket database's, with the documented defaults. */
  noise?: NoiseContext;
}

/** One event of the batch and its place in it. */
export interface BatchEvent {
  index: number;
  event: StoredEvent;
}

/** One event that deserves a ticket, as triage left it. */
export interface TriagedEvent {
  index: number;
  rule: TriageRule;
  caseKind: CaseKind;
}

/** The events of one dedup key, handled together, and what the ticket stage made of them. */
export interface KeyWork {
  key: string;
  rule: Pick<TriageRule, 'name' | 'dedup'>;
  caseKind: CaseKind;
  /** The events' places in the batch; the first opens or folds, the others fold into its ticket. */
  indexes: number[];
  /** Set by the ticket stage: the ticket as the first event left it, and after the others were folded in. */
  firstTicket?: Ticket;
  ticket?: Ticket;
  created?: boolean;
  customer?: Customer;
  plan?: Plan;
  /** The ticket's title and description in a language, rendered once per language. */
  describe?: Describe;
  /** Set by the storm stage: the key is an outbreak incident's (its title says so). */
  outbreak?: boolean;
}

/** A batch of stored events on its way through the stages. */
export interface PipelineBatch {
  events: readonly StoredEvent[];
  now: Date;
  /** One per event, in the events' order; undefined where a stage failed for it. */
  outcomes: (EventOutcome | undefined)[];
  /** Set by triage: the events that deserve a ticket. */
  triaged: TriagedEvent[];
  /** Set by correlate: the work per dedup key, in the order the keys first appear. */
  keys: Map<string, KeyWork>;
  /** Rethrow a stage's failure (one event handled alone) instead of logging it and going on. */
  strict: boolean;
}

/** The contract of every stage: a name (as docs/pipeline.md lists it) and a step over its unit of work. */
export interface Stage<Unit> {
  name: string;
  run(unit: Unit, batch: PipelineBatch, ctx: PipelineContext): void;
}
