// A second collector process for the race test: opens the same SQLite file and feeds repeats of one threat.
// argv: file, worker id, events, start instant (ms): every worker waits for it, so their writes overlap.
import { storedEvent, ticketKit } from './testkit.js';

const [path, worker, count, startAt] = process.argv.slice(2);
const kit = ticketKit({ path });
while (Date.now() < Number(startAt)) { /* spin: start together */ }
let created = 0;
for (let i = 0; i < Number(count); i++) {
  const event = storedEvent({ id: `w${worker}-${i}`, occurredAt: new Date(Date.parse('2026-03-20T19:50:00Z') + i).toISOString() });
  if (kit.pipeline.processEvent(event, kit.clock()).created) created += 1;
}
kit.db.close();
process.stdout.write(JSON.stringify({ worker, created }));
