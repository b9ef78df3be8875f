// The WAL checkpointer's thread: its own connection to the collector's database, copying the WAL back into the
// database file (PASSIVE: never blocks a writer or a reader) every `intervalMs`. Reports each pass: the frames it
// copied and the frames the WAL holds (for the writer's catch-up, checkpointer.ts). While the WAL is past the
// catch-up size it goes again at once, so that the tail left to the writer stays short.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, intervalMs, restartBytes } = workerData as { path: string; intervalMs: number; restartBytes: number };
const db = new Database(path);
db.pragma('busy_timeout = 5000');
const restartFrames = restartBytes / (db.pragma('page_size', { simple: true }) as number);
let timer: NodeJS.Timeout;
function pass(): void {
  let again = intervalMs;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    if (r && r.log >= 0) parentPort?.postMessage({ frames: r.checkpointed, walFrames: r.log });
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
