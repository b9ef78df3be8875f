// The collector's pipeline after parsing, in order. An agent's batch is stored first (collector/ingest/routes.ts →
// collector/store/); its events then pass, inside the batch's transaction, through
//
//   stored → triage → suppress → correlate → storm → ticket → notify → outbreak
//
// triage, suppress and correlate go over the batch's events; ticket and notify over each dedup key's events, in one
// savepoint per key, so a ticket and its mail commit together and a key that fails is undone alone. The ticket
// service (collector/tickets/service.ts) keeps what happens to a ticket after that: acknowledge, escalate, resolve…
import type { Logger } from '../../lib/logger.js';
import type { StoredEvent } from '../../protocol/event.js';
import type { Ticket } from '../tickets/repository.js';
import type { TicketService } from '../tickets/service.js';
import { noiseFor } from '../noise/context.js';
import type { NoiseConfig } from '../noise/config.js';
import { outbreakStage, stormStage } from '../noise/storm.js';
import { correlateStage } from './correlate.js';
import { notifyStage } from './notify.js';
import { suppressStage } from './suppress.js';
import { openSystemTicket, type SystemTicketInput } from './system-ticket.js';
import { ticketStage } from './ticket.js';
import { triageStage } from './triage.js';
import type { BatchEvent, EventOutcome, KeyWork, PipelineBatch, PipelineContext, Stage, TriagedEvent } from './types.js';

/** The first stage: the batch as the store wrote it (the ingest's group commit calls the pipeline with it). */
const storedStage: Stage<readonly StoredEvent[]> = { name: 'stored', run() { /* the events arrive stored */ } };

/** The stages, in order, by their unit of work: the batch, each event, each triaged event, each dedup key. */
export const PIPELINE = {
  batch: [storedStage] as readonly Stage<readonly StoredEvent[]>[],
  event: [triageStage] as readonly Stage<BatchEvent>[],
  triaged: [suppressStage] as readonly Stage<TriagedEvent[]>[],
  correlate: [correlateStage] as readonly Stage<TriagedEvent>[],
  key: [stormStage, ticketStage, notifyStage, outbreakStage] as readonly Stage<KeyWork>[],
} as const;

/** The stages' names in the order they run: what docs/pipeline.md lists. */
export const STAGE_NAMES: readonly string[] = [
  ...PIPELINE.batch, ...PIPELINE.event, ...PIPELINE.triaged, ...PIPELINE.correlate, ...PIPELINE.key,
].map((s) => s.name);

// Runs one unit through its stages; a failure is rethrown (strict) or logged with `message`, and the unit skipped.
function attempt(batch: PipelineBatch, ctx: PipelineContext, fields: object, message: string, step: () => void): void {
  if (batch.strict) { step(); return; }
  try {
    step();
  } catch (err) {
    ctx.log.error({ err, ...fields }, message);
  }
}

/** Runs a batch through every stage; the outcomes come back in the order of the events. */
export function runPipeline(ctx: PipelineContext, batch: PipelineBatch): void {
  for (const stage of PIPELINE.batch) stage.run(batch.events, batch, ctx);
  batch.events.forEach((event, index) => {
    attempt(batch, ctx, { eventId: event.id }, 'triage of an event failed', () => {
      for (const stage of PIPELINE.event) stage.run({ event, index }, batch, ctx);
    });
  });
  for (const stage of PIPELINE.triaged) stage.run(batch.triaged, batch, ctx);
  for (const triaged of batch.triaged) {
    attempt(batch, ctx, { eventId: batch.events[triaged.index]!.id }, 'triage of an event failed', () => {
      for (const stage of PIPELINE.correlate) stage.run(triaged, batch, ctx);
    });
  }
  for (const work of batch.keys.values()) {
    const fields = { eventIds: work.indexes.slice(0, 5).map((i) => batch.events[i]!.id), events: work.indexes.length };
    attempt(batch, ctx, fields, 'triage or ticketing of events failed', () => {
      ctx.service.repo.inTransaction(() => { for (const stage of PIPELINE.key) stage.run(work, batch, ctx); });
      const [first, ...rest] = work.indexes as [number, ...number[]];
      const outcome = (ticket: EventOutcome['ticket'], created: boolean): EventOutcome => ({ outcome: work.caseKind, rule: work.rule.name, ticket, created });
      batch.outcomes[first] = outcome(work.firstTicket ?? null, work.created === true);
      for (const i of rest) batch.outcomes[i] = outcome(work.ticket ?? null, false);
    });
  }
}

/** The pipeline over a ticket service: what the ingest, the leftovers pass and the agent-silence check call. */
export class EventPipeline {
  private readonly ctx: PipelineContext;

  constructor(readonly service: TicketService, logger: Logger = service.deps.logger, noise?: NoiseConfig) {
    this.ctx = { service, log: logger.child({ component: 'tickets' }), noise: noiseFor(service.deps.db, noise) };
  }

  /**
   * A batch the ingest stored (CollectorAppDeps.onEventsStored), in one transaction: one disk sync for the batch.
   * A failing event (or key) is logged and skipped; the others still count. Outcomes come back in the events' order.
   */
  processStored(events: readonly StoredEvent[], now: Date): EventOutcome[] {
    return this.service.repo.inTransaction(() => {
      const batch = newBatch(events, now, false);
      runPipeline(this.ctx, batch);
      return batch.outcomes.filter((o): o is EventOutcome => o !== undefined);
    });
  }

  /** One event through the same stages, alone: a failure is thrown, not logged. */
  processEvent(event: StoredEvent, now: Date): EventOutcome {
    const batch = newBatch([event], now, true);
    runPipeline(this.ctx, batch);
    return batch.outcomes[0]!;
  }

  /** Opens (or folds into) a ticket that no event produced: the agent-silence check uses it. */
  openSystemTicket(input: SystemTicketInput): { ticket: Ticket; created: boolean } {
    return openSystemTicket(this.ctx, input);
  }
}

function newBatch(events: readonly StoredEvent[], now: Date, strict: boolean): PipelineBatch {
  return { events, now, strict, outcomes: new Array<EventOutcome | undefined>(events.length), triaged: [], keys: new Map() };
}
