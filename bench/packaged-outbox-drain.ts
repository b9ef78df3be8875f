// Worker of bench/packaged-outbox.bench.ts: fills an outbox with N captures in bursts of 1000 (group commits, each
// acknowledged after its fsync) and drains it as the forwarder does (peek 2000, removeSpan), printing both rates.
// Run from source on Node 20 (better-sqlite3) and bundled on the packaged Node 24 (node:sqlite).
import { Outbox } from '../agent/outbox/index.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';

const [path, countText] = process.argv.slice(2) as [string, string];
const count = Number(countText);
const outbox = Outbox.open({ path, clock: systemClock, logger: silentLogger(), maxBytes: 8 * 1024 ** 3 });
const payload = 'x'.repeat(600);
let t = performance.now();
for (let i = 0; i < count; i += 1000) {
  await Promise.all(Array.from({ length: Math.min(1000, count - i) }, (_, k) =>
    outbox.capture({ transport: 'syslog', source: { address: '127.0.0.1', port: 514 }, syslog: { raw: `${i + k} ${payload}` } } as never)));
}
const captureSeconds = (performance.now() - t) / 1000;
t = performance.now();
let drained = 0;
for (;;) {
  const batch = outbox.peek(2000, 4 * 1024 * 1024);
  if (batch.length === 0) break;
  outbox.removeSpan(batch[0]!.seq, batch[batch.length - 1]!.seq);
  drained += batch.length;
}
const drainSeconds = (performance.now() - t) / 1000;
outbox.close();
console.log(JSON.stringify({ runtime: process.version, capturesPerSecond: Math.round(count / captureSeconds), drainPerSecond: Math.round(drained / drainSeconds), drained }));
