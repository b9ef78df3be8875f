// The WAL checkpointer's thread: its own connection to the collector's database, copying the WAL back into the
// database file (PASSIVE: never blocks a writer or a reader) every `intervalMs`. Reports each pass: the frames it
// copied and the frames the WAL holds (for the writer's catch-up, checkpointer.ts). While the WAL is past the
// catch-up size it goes again at once, so that the tail left to the writer stays short.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, intervalMs, restartFrames } = workerData as { path: string; intervalMs: number; restartFrames: number };
const db = new Database(path);
db.pragma('busy_timeout = 5000');
let timer: NodeJS.Timeout;
let backfilled = 0; // frames of the current WAL already in the database file, at the last pass
function pass(): void {
  let again = intervalMs;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    if (r && r.log >= 0) {
      // `checkpointed` counts from the start of the WAL; it falls back when the WAL starts over.
      const copied = r.checkpointed >= backfilled ? r.checkpointed - backfilled : r.checkpointed;
      backfilled = r.checkpointed;
      parentPort?.postMessage({ frames: copied, walFrames: r.log });
    }
    if (r && r.log > restartFrames) again = 1;
  } catch (err) {
    parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
  timer = setTimeout(pass, again);
}
timer = setTimeout(pass, intervalMs);
parentPort?.on('message', (m: { cmd: string }) => {
  if (m.cmd !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort?.close();
});
