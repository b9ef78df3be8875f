// The pipeline for events left untriaged: a batch's events go through the pipeline inside the batch's own
// transaction (see EventRepository.storeBatch), so only a failed stage, or a store written without one, leaves
// events untriaged. Here they go through it, marked done in the same transaction.
import type { StoredEvent } from '../../protocol/event.js';
import type { Logger } from '../../lib/logger.js';
import type { Db } from '../store/db.js';
import type { EventRepository } from '../store/store.js';
import type { EventPipeline } from './pipeline.js';

/** What the leftovers pass needs: the database, the event store and the pipeline, on one handle. */
export interface LeftoversDeps {
  db: Db;
  repo: Pick<EventRepository, 'markTriaged' | 'untriagedEvents'>;
  pipeline: EventPipeline;
}

/** Events older than this and still untriaged were left by a crash (or another process died on them). */
const RECOVERY_AGE_MS = 60_000;

/** Runs the pipeline for stored events and marks them triaged, atomically. */
export function triageStored(s: LeftoversDeps, events: readonly StoredEvent[], now: Date): void {
  if (events.length === 0) return;
  s.db.transaction(() => {
    s.pipeline.processStored(events, now);
    s.repo.markTriaged(events.map((e) => e.id));
  }).immediate();
}

/** Triages what a previous run stored but did not triage; returns how many events it took. */
export function triageLeftovers(s: LeftoversDeps, now: Date, log: Logger): number {
  let done = 0;
  for (;;) {
    const cutoff = now.getTime() - RECOVERY_AGE_MS;
    const batch = s.repo.untriagedEvents(500).filter((e) => Date.parse(e.receivedAt) <= cutoff);
    if (batch.length === 0) break;
    triageStored(s, batch, now);
    done += batch.length;
  }
  if (done > 0) log.warn({ events: done }, 'triaged events left untriaged by an earlier run');
  return done;
}
