// The CPU part of ingesting a batch, pure and without the database: each envelope validated on its own, parsed into
// events, and serialized as the store writes it. It runs in a worker thread (prepare-pool.ts), so the collector's
// main thread only stores, tickets and answers; or inline, where no worker is configured.
import { gunzipSync } from 'node:zlib';
import { envelopeBatchSchema, envelopeSchema, type BatchResult, type Envelope } from '../../protocol/envelope.js';
import type { ParsedEvent } from '../../protocol/event.js';
import { parseEnvelope, rawText } from '../parse/index.js';
import type { VendorHint } from '../parse/types.js';
import { eventDetail } from '../store/event-row.js';
import { payloadOf } from '../store/envelope-payload.js';

/**
 * A valid envelope, ready to store: its head, its JSON, its raw text and each event's JSON. All strings: this is what
 * crosses back from a worker thread, and strings cost the receiving thread far less than the objects they describe
 * (docs/benchmarks.md). `events` are the parsed events themselves, kept when the batch was prepared in the thread
 * that stores it; a worker leaves them out and the store reads them back from `details`.
 */
export interface PreparedEnvelope {
  id: string;
  transport: Envelope['transport'];
  capturedAt: string;
  sourceAddress: string;
  /** The envelope's JSON without its id and capture time, which the row holds (store/envelope-payload.ts). */
  payload: string;
  raw: string;
  details: string[];
  /** Each event's `detail` as the store writes it (only what no column holds: store/event-row.ts), made here, off
   *  the storing thread; without it the store makes it. */
  rests?: string[];
  events?: ParsedEvent[];
}

/** A batch ready to store: the valid envelopes (each id once) and the refused ones, by index. */
export interface PreparedBatch {
  items: PreparedEnvelope[];
  rejected: BatchResult['rejected'];
}

/** A request body that is not a batch at all (broken gzip, not JSON, or not the batch's shape): the whole request is
 *  refused. `tooLarge`: it inflates past the body limit (413). */
export interface RefusedBody {
  refused: string;
  tooLarge?: boolean;
}

/** How the body came: gzip or as is, and the most bytes it may inflate to. */
export interface BodyEncoding {
  gzip: boolean;
  limit: number;
}

/** Turns a request body (the batch's JSON, as bytes, maybe gzip) into what is stored, given the agent's vendor hint. */
export type Prepare = (body: Uint8Array, hint: VendorHint, encoding: BodyEncoding) => Promise<PreparedBatch | RefusedBody>;

/** Describes why an envelope was refused, in one line naming the fields. */
function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[], whole = '(envelope)'): string {
  return issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || whole}: ${i.message}`).join('; ');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads a request body as a batch and prepares it. A body that is not UTF-8 JSON of the batch's shape (after gunzip,
 * when it came gzip) is refused whole, with the reason; inside a valid batch, each envelope stands or falls alone
 * (prepareBatch). `keepEvents`: see PreparedEnvelope.
 *
 * The gunzip is here, in one call, rather than a stream on the main thread: there it took a round trip through
 * libuv's pool per chunk, and a body arriving while the main thread stored a batch reached the worker only several
 * loop turns after the store, leaving the worker idle meanwhile (docs/benchmarks.md). The limit applies to the
 * inflated bytes, so a small bomb cannot grow past it.
 */
export function prepareBody(body: Uint8Array, hint: VendorHint, keepEvents = true, encoding?: BodyEncoding): PreparedBatch | RefusedBody {
  if (encoding?.gzip) {
    try {
      body = gunzipSync(body, { maxOutputLength: encoding.limit });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return { refused: `the body inflates past ${encoding.limit} bytes`, tooLarge: true };
      return { refused: `gzip: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(utf8.decode(body));
  } catch (err) {
    return { refused: `the body is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const batch = envelopeBatchSchema.safeParse(doc);
  if (!batch.success) return { refused: `the batch is not valid: ${describeIssues(batch.error.issues, '(body)')}` };
  return prepareBatch(batch.data.envelopes, hint, keepEvents);
}

/** Validates, parses and serializes a batch. Never throws for bad input: a bad envelope is listed in `rejected`. */
export function prepareBatch(raw: readonly unknown[], hint: VendorHint, keepEvents = true): PreparedBatch {
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
    const item: PreparedEnvelope = {
      id: envelope.id, transport: envelope.transport, capturedAt: envelope.capturedAt, sourceAddress: envelope.source.address,
      payload: payloadOf(envelope), raw: rawText(envelope), details: events.map((ev) => JSON.stringify(ev)),
      rests: events.map(eventDetail),
    };
    if (keepEvents) item.events = events;
    items.push(item);
  });
  return { items, rejected };
}
