// The worker thread of the prepare pool: validates, parses and serializes batches (prepare.ts), one message each.
import { parentPort } from 'node:worker_threads';
import { prepareBatch } from './prepare.js';
import type { VendorHint } from '../parse/types.js';

/** A batch to prepare, as the pool sends it. */
export interface PrepareRequest { id: number; envelopes: unknown[]; hint: VendorHint }
/** The answer: the prepared batch, or why preparing it failed (a bug: prepareBatch does not throw for bad input). */
export type PrepareReply = { id: number; batch: ReturnType<typeof prepareBatch> } | { id: number; error: string };

parentPort?.on('message', (req: PrepareRequest) => {
  let reply: PrepareReply;
  try {
    reply = { id: req.id, batch: prepareBatch(req.envelopes, req.hint) };
  } catch (err) {
    reply = { id: req.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  parentPort?.postMessage(reply);
});
