// The forwarder: sends the outbox to the collector in batches and deletes only what the collector acknowledged.
// A failure keeps everything in the outbox and waits (exponential backoff with equal jitter, lib/backoff.ts); nothing is dropped,
// except envelopes the collector rejected as invalid, which are dead-lettered (kept) for a person to look at.
import type { Outbox } from './outbox/index.js';
import type { CollectorClient, CollectorResponse } from './http.js';
import type { BatchResult } from '../protocol/envelope.js';
import { PROTOCOL_VERSION } from '../protocol/envelope.js';
import { ENVELOPES_PATH } from '../protocol/paths.js';
import { backoffDelay } from '../lib/backoff.js';
import { DeliveryError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';

/** Forwarder settings. */
export interface ForwarderOptions {
  batchSize: number;
  maxBatchBytes: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** When the outbox is empty, look again after this long even if nothing woke us. */
  idlePollMs: number;
  /** Batches sent before the first is answered (default 3): the collector works on one while the next are on their way,
   *  so a drain is not paced by a round trip plus the agent's own reading and compressing after every answer. */
  inFlight?: number;
}

/** What status and metrics show about forwarding. */
export interface ForwarderState {
  sent: number;
  duplicates: number;
  deadLettered: number;
  batches: number;
  consecutiveFailures: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorReason: string | null;
  nextAttemptAt: string | null;
}

/** The request body of a batch, `{"protocol":…,"envelopes":[…]}`, as UTF-8 written once into one buffer: joining the
 *  bodies into a string, then encoding that string, made two more copies of the batch in V8's large-object space. */
export function batchBody(bodies: readonly string[]): Buffer {
  const head = `{"protocol":${PROTOCOL_VERSION},"envelopes":[`;
  const tail = ']}';
  let size = head.length + tail.length + Math.max(0, bodies.length - 1);
  for (const b of bodies) size += Buffer.byteLength(b, 'utf8');
  const buf = Buffer.allocUnsafe(size);
  let at = buf.write(head, 0, 'latin1');
  for (let i = 0; i < bodies.length; i++) {
    if (i > 0) buf[at++] = 0x2c; // ,
    at += buf.write(bodies[i]!, at, 'utf8');
  }
  buf.write(tail, at, 'latin1');
  return buf;
}

/** Runs the send loop until stopped. */
export class Forwarder {
  readonly state: ForwarderState = {
    sent: 0, duplicates: 0, deadLettered: 0, batches: 0, consecutiveFailures: 0,
    lastSuccessAt: null, lastError: null, lastErrorReason: null, nextAttemptAt: null,
  };
  private running = false;
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private batchSize: number;

  constructor(private readonly outbox: Outbox, private readonly client: CollectorClient, private readonly opts: ForwarderOptions, private readonly log: Logger) {
    this.batchSize = opts.batchSize;
  }

  /** Starts the loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Tells the loop there is something new (called after each capture). */
  wake(): void {
    this.wakeUp?.();
  }

  /** The collector answered something else (a heartbeat): a backoff under way ends now and starts over from its
   *  first step, so a collector that came back is drained at once, not after up to backoffMaxMs. */
  resume(): void {
    if (this.state.consecutiveFailures === 0) return;
    this.state.consecutiveFailures = 0;
    this.state.nextAttemptAt = null;
    this.wake();
  }

  /** Stops after the batch in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() { clearTimeout(t); resolve(); }
      this.wakeUp = () => { this.wakeUp = null; done(); };
    });
  }

  private async run(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const limit = Math.max(1, this.opts.inFlight ?? 3);
    // Batches in flight are disjoint: the next one is read after the last envelope already sent (outbox seq).
    // Once nothing is in flight the cursor goes back to 0, so whatever is still pending (a failed batch, ids the
    // collector left unanswered) is read again from the oldest.
    let cursor = 0;
    let failure: DeliveryError | null = null;
    while (this.running) {
      // While the collector fails, one batch at a time: retrying does not read and compress several batches that
      // are bound to fail too. The first success restores the configured number.
      const allowed = this.state.consecutiveFailures > 0 ? 1 : limit;
      while (failure === null && inFlight.size < allowed) {
        const batch = this.sendNext(cursor);
        if (batch === null) break;
        cursor = batch.lastSeq;
        const sending: Promise<void> = batch.sent
          .then(() => {
            this.state.consecutiveFailures = 0;
            this.state.nextAttemptAt = null;
            this.batchSize = Math.min(this.opts.batchSize, this.batchSize * 2);
          }, (err: unknown) => {
            failure ??= err instanceof DeliveryError ? err : new DeliveryError((err as Error).message, 'unknown', true);
          })
          .finally(() => { inFlight.delete(sending); });
        inFlight.add(sending);
      }
      if (inFlight.size > 0) {
        await Promise.race(inFlight);
        if (failure === null) continue;
        await Promise.all(inFlight); // let the others finish: what they delivered leaves the outbox
      }
      cursor = 0;
      if (failure === null) { await this.sleep(this.opts.idlePollMs); continue; }
      const e: DeliveryError = failure;
      failure = null;
      await this.backOff(e);
    }
    await Promise.all(inFlight);
  }

  // After a failed batch: everything stays in the outbox; wait, then send again from the oldest pending envelope.
  private async backOff(e: DeliveryError): Promise<void> {
    this.state.consecutiveFailures += 1;
    this.state.lastError = e.message;
    this.state.lastErrorReason = e.reason;
    if ((e as DeliveryError & { status?: number }).status === 413 && this.batchSize > 1) {
      this.batchSize = Math.max(1, Math.floor(this.batchSize / 2));
      return;
    }
    const delay = backoffDelay(this.state.consecutiveFailures, this.opts.backoffInitialMs, this.opts.backoffMaxMs);
    this.state.nextAttemptAt = new Date(Date.now() + delay).toISOString();
    const level = e.retryable ? 'warn' : 'error';
    this.log[level]({ reason: e.reason, retryable: e.retryable, failures: this.state.consecutiveFailures, retryInMs: delay, err: e.message }, 'forwarding failed; envelopes kept in the outbox');
    // Even a non-retryable answer (a revoked token) is retried slowly: the data stays until a person fixes it.
    await this.sleep(delay);
  }

  // Reads the next batch after `cursor` and sends it. Not async, and it returns no reference to the rows or the
  // request body: the rows (about a megabyte of strings) die young, and the body is held only by the request on its
  // way (compressed, it is freed once sent), never by a suspended async frame while the answer is awaited.
  private sendNext(cursor: number): { lastSeq: number; sent: Promise<void> } | null {
    const items = this.outbox.peek(this.batchSize, this.opts.maxBatchBytes, cursor);
    if (items.length === 0) return null;
    const ids = items.map((i) => i.id);
    const answer = this.client.postJson<BatchResult>(ENVELOPES_PATH, batchBody(items.map((i) => i.body)));
    const span = { first: items[0]!.seq, last: items[items.length - 1]!.seq };
    return { lastSeq: span.last, sent: this.settle(ids, span, answer) };
  }

  private async settle(ids: string[], span: { first: number; last: number }, answer: Promise<CollectorResponse<BatchResult>>): Promise<void> {
    const res = await answer;
    const r = res.body;
    const acked = [...(r.accepted ?? []), ...(r.duplicates ?? [])];
    const sent = new Set(ids);
    const dead = (r.rejected ?? []).map((x) => ({ id: x.id ?? ids[x.index] ?? '', error: x.error })).filter((x) => sent.has(x.id));
    const answered = new Set([...acked, ...dead.map((d) => d.id)]);
    if (ids.some((id) => !answered.has(id))) this.log.warn({ unanswered: ids.filter((id) => !answered.has(id)).length }, 'collector left envelopes unanswered; they stay queued');
    // Only ids we sent leave the outbox, whatever the answer lists. The usual answer acknowledges the whole batch:
    // it leaves by its span of the outbox (Outbox.removeSpan), without looking each id up.
    const ours = acked.filter((id) => sent.has(id));
    if (new Set(ours).size === ids.length) this.outbox.removeSpan(span.first, span.last);
    else this.outbox.remove(ours);
    if (dead.length > 0) {
      this.outbox.deadLetter(dead);
      this.log.error({ count: dead.length, first: dead[0] }, 'collector rejected envelopes as invalid; kept as dead letters');
    }
    this.state.sent += r.accepted?.length ?? 0;
    this.state.duplicates += r.duplicates?.length ?? 0;
    this.state.deadLettered += dead.length;
    this.state.batches += 1;
    this.state.lastSuccessAt = new Date().toISOString();
  }
}
