// WAL checkpoints off the main thread. With SQLite's automatic checkpoint, the commit that pushes the WAL past 1,000
// pages also copies them into the database file and syncs it: the collector's main thread, which answers agents,
// pays that copy inside a request. Here the main connection's automatic checkpoint is turned off and a worker
// thread with its own connection checkpoints every quarter second. If that thread fails, the automatic checkpoint
// is turned back on, so the WAL never grows without bound.
import type { Worker } from 'node:worker_threads';
import type { Db } from './db.js';
import type { Logger } from '../../lib/logger.js';
import { siblingModule, startModuleWorker } from '../../lib/worker.js';

const WORKER_URL = siblingModule(import.meta.url, 'checkpoint-worker');
const AUTOCHECKPOINT_PAGES = 1000; // SQLite's default

/** A running checkpointer. */
export interface Checkpointer {
  /** WAL frames copied to the database file so far. */
  readonly framesCheckpointed: () => number;
  stop(): Promise<void>;
}

/** Starts checkpointing `db` (a file database in WAL mode) from a worker thread. */
export function startCheckpointer(db: Db, log: Logger, intervalMs = 250): Checkpointer {
  let frames = 0;
  let stopped = false;
  const fallBack = (why: string, err?: unknown) => {
    db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    if (!stopped) log.error({ err, why }, 'the WAL checkpointer stopped; checkpoints are back in the writing thread');
  };
  const worker: Worker = startModuleWorker(WORKER_URL, 'xpears-checkpoint', { path: db.name, intervalMs });
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  worker.on('message', (m: { frames?: number; error?: string }) => {
    if (m.frames) frames += m.frames;
    if (m.error) log.warn({ err: m.error }, 'a WAL checkpoint failed; the next one will try again');
  });
  worker.on('error', (err) => fallBack('error', err));
  worker.on('exit', (code) => { if (!stopped) fallBack(`exited with code ${code}`); });
  return {
    framesCheckpointed: () => frames,
    async stop() {
      stopped = true;
      db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ cmd: 'stop' });
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      await worker.terminate();
    },
  };
}
