// Run on the packaged runtime, bundled with better-sqlite3 → node:sqlite (test/packaging/outbox-node-sqlite.test.ts):
//   capture FILE   captures without end, printing each id once capture() resolved (acknowledged), until killed
//   check FILE     prints the file's journal mode, the connection's synchronous level and every pending id, as JSON
import { Outbox } from '../../agent/outbox/index.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';

const [mode, path] = process.argv.slice(2) as [string, string];
const outbox = Outbox.open({ path, clock: systemClock, logger: silentLogger(), maxBytes: 1024 ** 3 });
if (mode === 'check') {
  const db = outbox.database;
  const ids = (db.prepare("SELECT id FROM outbox WHERE state = 'pending'").all() as { id: string }[]).map((r) => r.id);
  console.log(JSON.stringify({ journal: db.pragma('journal_mode', { simple: true }), synchronous: db.pragma('synchronous', { simple: true }), ids, sqlite: process.versions.sqlite }));
  outbox.close();
} else {
  let n = 0;
  const wave = (): void => {
    const all: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      all.push(outbox.capture({ transport: 'syslog', sourceAddress: '127.0.0.1', payload: { raw: `line ${n++}` } } as never)
        .then((id) => { process.stdout.write(`${id}\n`); }));
    }
    void Promise.all(all).then(() => setImmediate(wave));
  };
  wave();
}
