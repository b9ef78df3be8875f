// Worker threads that prepare batches (validate, parse, serialize: prepare.ts) while the main thread stores the
// batches already prepared, tickets them and answers agents: on a machine with two cores or more, the collector's
// CPU work is split across two threads instead of queueing on one.
//
// A batch goes to the worker with the fewest batches in hand. A worker that dies fails its batches (the agents get
// a 500 and send them again: nothing was stored, nothing is lost) and is replaced for the next batch.
import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Logger } from '../../lib/logger.js';
import { siblingModule, startModuleWorker } from '../../lib/worker.js';
import type { VendorHint } from '../parse/types.js';
import type { BodyEncoding, PreparedBatch, RefusedBody } from './prepare.js';
import type { PrepareReply, PrepareRequest } from './prepare-worker.js';

const WORKER_URL = siblingModule(import.meta.url, 'prepare-worker');
// A batch and what is made of it live a few milliseconds: a young generation this large (three 64 MiB semi-spaces'
// worth) lets them die young instead of being promoted and collected as old objects (docs/operations.md).
const YOUNG_GENERATION_MB = 192;

/** Worker threads for `ingest.workers: auto`: one core left to the main thread, at most four. */
export function defaultPrepareWorkers(): number {
  return Math.max(0, Math.min(4, availableParallelism() - 1));
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (b: PreparedBatch | RefusedBody) => void; reject: (e: Error) => void }>;
}

/** The pool. `prepare` has the shape of collector/ingest/prepare.ts's Prepare. */
export class PreparePool {
  private readonly slots: (Slot | null)[];
  private nextId = 1;
  private closed = false;

  constructor(size: number, private readonly log: Logger) {
    if (size < 1) throw new Error('a prepare pool needs at least one worker');
    this.slots = Array.from({ length: size }, () => null);
  }

  /** Prepares a request body in a worker. Rejects only if the worker failed (died, or threw: a bug). */
  prepare(body: Uint8Array, hint: VendorHint, encoding: BodyEncoding): Promise<PreparedBatch | RefusedBody> {
    if (this.closed) return Promise.reject(new Error('the prepare pool is closed'));
    const slot = this.leastBusy();
    const id = this.nextId++;
    return new Promise<PreparedBatch | RefusedBody>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      const request: PrepareRequest = { id, body, hint, encoding };
      slot.worker.postMessage(request);
    });
  }

  /** Stops the workers; batches in hand fail. */
  async close(): Promise<void> {
    this.closed = true;
    // Ref'd while they end, so that a process with nothing else alive waits for them instead of leaving the close unsettled.
    await Promise.all(this.slots.map((s) => { s?.worker.ref(); return s?.worker.terminate(); }));
  }

  private leastBusy(): Slot {
    let best = -1;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i];
      if (!s) { this.slots[i] = this.spawn(i); return this.slots[i]!; }
      if (best < 0 || s.pending.size < this.slots[best]!.pending.size) best = i;
    }
    return this.slots[best]!;
  }

  private spawn(index: number): Slot {
    const worker = startModuleWorker(WORKER_URL, `xpears-prepare-${index}`, undefined, YOUNG_GENERATION_MB);
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (reply: PrepareReply) => {
      const waiting = slot.pending.get(reply.id);
      if (!waiting) return;
      slot.pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new Error(`preparing a batch failed: ${reply.error}`));
      else waiting.resolve(reply.batch);
    });
    const fail = (err: Error) => {
      if (this.slots[index] === slot) this.slots[index] = null; // the next batch starts a new worker
      for (const waiting of slot.pending.values()) waiting.reject(err);
      slot.pending.clear();
    };
    worker.on('error', (err) => {
      this.log.error({ err, worker: index }, 'an ingest worker failed; its batches are answered 500 and will be sent again');
      fail(err);
    });
    worker.on('exit', (code) => {
      if (!this.closed && slot.pending.size > 0) this.log.error({ code, worker: index }, 'an ingest worker exited with batches in hand');
      fail(new Error(`the ingest worker exited (code ${code})`));
    });
    // An idle pool never keeps the process alive; after the listeners, since adding a 'message' listener refs it again.
    worker.unref();
    return slot;
  }
}
