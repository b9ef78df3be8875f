// The worker thread of the prepare pool: reads, validates, parses and serializes batches (prepare.ts), one message
// each. The parsed events stay here: the main thread reads them back from their JSON, which is cheaper for it than
// receiving the objects (docs/benchmarks.md).
import { parentPort } from 'node:worker_threads';
import { prepareBody, type BodyEncoding, type PreparedBatch, type RefusedBody } from './prepare.js';
import type { VendorHint } from '../parse/types.js';

/** A batch to prepare, as the pool sends it: the request body's bytes, as they came (maybe gzip). */
export interface PrepareRequest { id: number; body: Uint8Array; hint: VendorHint; encoding: BodyEncoding }
/** The answer: the prepared batch (or the body refused), or why preparing it failed (a bug: prepareBody does not throw for bad input). */
export type PrepareReply = { id: number; batch: PreparedBatch | RefusedBody } | { id: number; error: string };

parentPort?.on('message', (req: PrepareRequest) => {
  let reply: PrepareReply;
  try {
    reply = { id: req.id, batch: prepareBody(req.body, req.hint, false, req.encoding) };
  } catch (err) {
    reply = { id: req.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  parentPort?.postMessage(reply);
});
