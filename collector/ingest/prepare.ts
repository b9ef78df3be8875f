// The CPU part of ingesting a batch, pure and without the database: each envelope validated on its own, parsed into
// events, and serialized as the store writes it. It runs in a worker thread (prepare-pool.ts), so the collector's
// main thread only stores, tickets and answers; or inline, where no worker is configured.
import { envelopeSchema, type BatchResult, type Envelope } from '../../protocol/envelope.js';
import type { ParsedEvent } from '../../protocol/event.js';
import { parseEnvelope, rawText } from '../parse/index.js';
import type { VendorHint } from '../parse/types.js';

/** What the store needs of an envelope besides its JSON. */
export interface EnvelopeHead {
  id: string;
  transport: Envelope['transport'];
  capturedAt: string;
  source: { address: string };
}

/** A valid envelope, ready to store: its head, its JSON, its events and their JSON, and its raw text. */
export interface PreparedEnvelope {
  head: EnvelopeHead;
  payload: string;
  events: ParsedEvent[];
  details: string[];
  raw: string;
}

/** A batch ready to store: the valid envelopes (each id once) and the refused ones, by index. */
export interface PreparedBatch {
  items: PreparedEnvelope[];
  rejected: BatchResult['rejected'];
}

/** Turns a batch into what is stored, given the batch's envelopes and the agent's vendor hint. */
export type Prepare = (envelopes: unknown[], hint: VendorHint) => Promise<PreparedBatch>;

/** Describes why an envelope was refused, in one line naming the fields. */
function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(envelope)'}: ${i.message}`).join('; ');
}

/** Validates, parses and serializes a batch. Never throws for bad input: a bad envelope is listed in `rejected`. */
export function prepareBatch(raw: readonly unknown[], hint: VendorHint): PreparedBatch {
  const rejected: BatchResult['rejected'] = [];
  const items: PreparedEnvelope[] = [];
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
    const events = parseEnvelope(envelope, hint);
    items.push({
      head: { id: envelope.id, transport: envelope.transport, capturedAt: envelope.capturedAt, source: { address: envelope.source.address } },
      payload: JSON.stringify(envelope), events, details: events.map((ev) => JSON.stringify(ev)), raw: rawText(envelope),
    });
  });
  return { items, rejected };
}
