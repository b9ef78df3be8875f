// A collector in its own process for the ingest benchmark: started on a data folder, its URL sent over IPC.
// Answers { cpuSeconds } when asked { cmd: 'cpu' } and stops on { cmd: 'stop' }.
import { startCollector } from '../bin/runtime/collector.js';
import { collectorConfigFor } from '../test/e2e/harness.js';
import { silentLogger } from '../lib/logger.js';
import { systemClock } from '../lib/clock.js';

const collector = await startCollector(collectorConfigFor(process.argv[2]!), { logger: silentLogger(), clock: systemClock });
process.send?.({ url: collector.url });
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'cpu') {
    const c = process.cpuUsage();
    process.send?.({ cpuSeconds: (c.user + c.system) / 1e6, stored: collector.repo.countEnvelopes() });
  } else {
    void collector.stop().then(() => process.exit(0));
  }
});
process.on('disconnect', () => { void collector.stop().then(() => process.exit(0)); });
