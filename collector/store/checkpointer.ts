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
  /** WAL frames copied to the database file so far, as the thread's passes saw them. */
  readonly framesCheckpointed: () => number;
  /** Catch-ups that left the WAL wholly copied, so that the next commit started it over. */
  readonly restarts: () => number;
  /**
   * Called by the writer right after a commit. Under a steady stream of writes the thread's PASSIVE passes never
   * catch up with the WAL's tail (the writer commits again while one copies), and SQLite starts the WAL over only when
   * every frame has been copied: the WAL then grows without end (2 GB after 500,000 envelopes in the drain
   * benchmark) and every commit gets dearer. So once the thread reports a WAL past `restartBytes`, the writer copies
   * the tail itself, between two of its transactions, where nobody appends: the frames the thread has not reached
   * yet (the thread goes again at once while the WAL is that large, so it is about one commit's worth), not the
   * whole WAL. Its next commit starts the WAL over, and the file is cut
   * back to `journal_size_limit` (db.ts).
   */
  catchUp(): void;
  stop(): Promise<void>;
}

/** The WAL size past which the writer catches up with the checkpointer (see Checkpointer.catchUp). */
export const WAL_RESTART_BYTES = 64 * 1024 * 1024;

/** Starts checkpointing `db` (a file database in WAL mode) from a worker thread. */
export function startCheckpointer(db: Db, log: Logger, intervalMs = 250, restartBytes = WAL_RESTART_BYTES): Checkpointer {
  let frames = 0;
  let restarts = 0;
  let walFrames = 0; // in the WAL at the thread's last pass
  const restartFrames = Math.max(1, Math.floor(restartBytes / (db.pragma('page_size', { simple: true }) as number)));
  let stopped = false;
  const fallBack = (why: string, err?: unknown) => {
    db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    if (!stopped) log.error({ err, why }, 'the WAL checkpointer stopped; checkpoints are back in the writing thread');
  };
  const worker: Worker = startModuleWorker(WORKER_URL, 'xpears-checkpoint', { path: db.name, intervalMs, restartFrames });
  db.pragma('wal_autocheckpoint = 0');
  worker.on('message', (m: { frames?: number; walFrames?: number; error?: string }) => {
    if (m.frames) frames += m.frames;
    if (m.walFrames !== undefined) walFrames = m.walFrames;
    if (m.error) log.warn({ err: m.error }, 'a WAL checkpoint failed; the next one will try again');
  });
  worker.on('error', (err) => fallBack('error', err));
  worker.on('exit', (code) => { if (!stopped) fallBack(`exited with code ${code}`); });
  // After the listeners: adding a 'message' listener refs the thread's port again, and a ref'd thread keeps a process
  // alive whose start failed (the port in use) after the checkpointer began.
  worker.unref();
  return {
    framesCheckpointed: () => frames,
    restarts: () => restarts,
    catchUp() {
      if (stopped || walFrames <= restartFrames) return;
      walFrames = 0; // until the thread's next report
      try {
        const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
        if (!r) return;
        if (r.busy === 0 && r.checkpointed === r.log) restarts += 1;
      } catch (err) {
        log.warn({ err }, 'a WAL catch-up checkpoint failed; the next one will try again');
      }
    },
    async stop() {
      stopped = true;
      db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      // The thread is unref'd so that it never keeps a process alive; while the stop waits for it, it must, or a
      // process with nothing else alive would end with the stop unsettled (Node's exit code 13).
      worker.ref();
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ cmd: 'stop' });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => { timer = setTimeout(resolve, 2_000); })]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
