// The ingest stage: a batch from an agent → each envelope validated on its own → parsed → stored once.
// Validating and parsing (prepare.ts) may run in a worker thread; storing runs where the database handle is.
import type { BatchResult } from '../../protocol/envelope.js';
import type { StoredEvent } from '../../protocol/event.js';
import type { EventRepository, StoredEventsStage } from '../store/store.js';
import type { AuthenticatedAgent } from './auth.js';
import type { PreparedBatch } from './prepare.js';

/** What the ingest stage needs. */
export interface IngestDeps {
  repo: EventRepository;
  now: () => Date;
  /** Triage and tickets, run on the stored events inside the batch's transaction (see EventRepository.storeBatch). */
  stage?: StoredEventsStage;
}

/** One batch's outcome: the answer for the agent and the events stored, for the stages after storage. */
export interface IngestOutcome {
  result: BatchResult;
  stored: StoredEvent[];
  /** The stage failed: the batch is stored, its events wait for the leftovers pass. */
  stageError?: unknown;
}

/** Stores a prepared batch for the agent that sent it. */
export function storePrepared(batch: PreparedBatch, who: AuthenticatedAgent, deps: IngestDeps): IngestOutcome {
  const receivedAt = deps.now().toISOString();
  const { accepted, acceptedIds, duplicateIds, stageError } = batch.items.length > 0
    ? deps.repo.storeBatch(who.customerId, who.agent.id, batch.items, receivedAt, deps.stage)
    : { accepted: [], acceptedIds: [], duplicateIds: [], stageError: undefined };
  return {
    result: { accepted: acceptedIds, duplicates: duplicateIds, rejected: batch.rejected }, stored: accepted.flat(),
    ...(stageError !== undefined ? { stageError } : {}),
  };
}
