// The ingest stage: a batch from an agent → each envelope validated on its own → parsed → stored once.
import { envelopeSchema, type BatchResult, type Envelope } from '../../protocol/envelope.js';
import type { StoredEvent } from '../../protocol/event.js';
import type { EventRepository, IncomingEnvelope, StoredEventsStage } from '../store/store.js';
import type { AuthenticatedAgent } from './auth.js';
import type { VendorHint } from '../parse/types.js';
import { parseEnvelope, rawText } from '../parse/index.js';

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

/** Describes why an envelope was refused, in one line naming the fields. */
function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(envelope)'}: ${i.message}`).join('; ');
}

/** Validates, parses and stores a batch of envelopes for the agent that sent it. */
export function ingestBatch(raw: unknown[], who: AuthenticatedAgent, deps: IngestDeps, hint?: VendorHint): IngestOutcome {
  const rejected: BatchResult['rejected'] = [];
  const items: IncomingEnvelope[] = [];
  const seen = new Set<string>();
  raw.forEach((candidate, index) => {
    const parsed = envelopeSchema.safeParse(candidate);
    if (!parsed.success) {
      const id = typeof (candidate as { id?: unknown })?.id === 'string' ? (candidate as { id: string }).id.slice(0, 64) : undefined;
      rejected.push({ index, ...(id ? { id } : {}), error: describeIssues(parsed.error.issues) });
      return;
    }
    const envelope: Envelope = parsed.data;
    if (seen.has(envelope.id)) return; // the same id twice in one batch: stored once, answered once
    seen.add(envelope.id);
    items.push({ envelope, events: parseEnvelope(envelope, hint), raw: rawText(envelope) });
  });
  const receivedAt = deps.now().toISOString();
  const { accepted, acceptedIds, duplicateIds, stageError } = items.length > 0
    ? deps.repo.storeBatch(who.customerId, who.agent.id, items, receivedAt, deps.stage)
    : { accepted: [], acceptedIds: [], duplicateIds: [], stageError: undefined };
  return {
    result: { accepted: acceptedIds, duplicates: duplicateIds, rejected }, stored: accepted.flat(),
    ...(stageError !== undefined ? { stageError } : {}),
  };
}
