// The WAL checkpointer's thread: its own connection to the collector's database, copying the WAL back into the
// database file (PASSIVE: never blocks a writer or a reader) every `intervalMs`. Reports each pass: the frames it
// copied and the frames the WAL holds (for the writer's catch-up, checkpointer.ts).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, intervalMs } = workerData as { path: string; intervalMs: number };
const db = new Database(path);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    if (r && r.log >= 0) parentPort?.postMessage({ frames: r.checkpointed, walFrames: r.log });
  } catch (err) {
    parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
}, intervalMs);
parentPort?.on('message', (m: { cmd: string }) => {
  if (m.cmd !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
