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

/** A batch waiting for the next commit, and who waits for its outcome. */
interface Waiting {
  batch: PreparedBatch;
  who: AuthenticatedAgent;
  resolve: (outcome: IngestOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Stores prepared batches with group commit: the batches that are ready when the event loop comes round (several,
 * when the main thread was busy storing while the prepare workers finished others) are stored in one transaction.
 * Each batch is its own savepoint inside it, so a batch that fails is undone alone and only its agent gets the
 * error; the group's commit is one disk sync instead of one per batch, and the pages every batch touches (the tail
 * of each index) are written to the WAL once. A batch is never held back to wait for company: a lone batch is stored
 * at once, as before. If the commit itself fails, every batch of the group fails, and their agents send them again.
 */
export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private scheduled = false;

  /** `maxEnvelopes`: a group closes once it holds this many envelopes, so one commit stays short. `onCommit`: called
   *  after each commit with the batches it held; it must not throw. */
  constructor(private readonly deps: IngestDeps, private readonly maxEnvelopes = 8000, private readonly onCommit?: (batches: number) => void) {}

  /** Stores a batch in the next commit; resolves once that commit is done. */
  store(batch: PreparedBatch, who: AuthenticatedAgent): Promise<IngestOutcome> {
    return new Promise<IngestOutcome>((resolve, reject) => {
      this.waiting.push({ batch, who, resolve, reject });
      if (!this.scheduled) { this.scheduled = true; setImmediate(() => this.flush()); }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const group: Waiting[] = [];
    let envelopes = 0;
    while (this.waiting.length > 0 && (group.length === 0 || envelopes + this.waiting[0]!.batch.items.length <= this.maxEnvelopes)) {
      const next = this.waiting.shift()!;
      envelopes += next.batch.items.length;
      group.push(next);
    }
    if (this.waiting.length > 0) { this.scheduled = true; setImmediate(() => this.flush()); }
    const outcomes: ({ ok: IngestOutcome } | { err: unknown })[] = [];
    try {
      this.deps.repo.inTransaction(() => {
        for (const w of group) {
          try {
            outcomes.push({ ok: storePrepared(w.batch, w.who, this.deps) });
          } catch (err) {
            outcomes.push({ err }); // its savepoint is rolled back; the others stand
          }
        }
      });
    } catch (err) {
      for (const w of group) w.reject(err);
      return;
    }
    group.forEach((w, i) => {
      const o = outcomes[i]!;
      if ('ok' in o) w.resolve(o.ok); else w.reject(o.err);
    });
    this.onCommit?.(group.length); // after the answers: it must not throw (it runs from setImmediate)
  }
}
