// A child process for crash-retry.test.ts: the real outbox, retry ledger, SNMP and SMTP receivers on loopback.
// With "hold", each capture is made durable and its acknowledgement then held back for good, so that the test can
// SIGKILL the process between the durable write and the inform response or the SMTP 250.
// Usage: node --import tsx crash-fixture.ts <dataDir> hold|serve <snmpPort> <smtpPort>
import { join } from 'node:path';
import { Outbox } from '../outbox/index.js';
import { RetryLedger } from '../outbox/retry-ledger.js';
import { createSnmpReceiver, snmpReceiverConfigSchema } from './snmp/index.js';
import { createSmtpReceiver, smtpReceiverConfigSchema } from './smtp/index.js';
import type { CaptureSink } from './types.js';
import { systemClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';

const [dataDir = '', mode = 'serve', snmpPort = '0', smtpPort = '0'] = process.argv.slice(2);
const logger = silentLogger();
const outbox = Outbox.open({ path: join(dataDir, 'outbox.db'), clock: systemClock, logger, maxBytes: 1e9 });
const retries = RetryLedger.open(outbox.database, systemClock);
const say = (line: object): void => { process.stdout.write(`${JSON.stringify(line)}\n`); };
const sink: CaptureSink = mode === 'hold'
  ? { capture: async (c, o) => { say({ durable: await outbox.capture(c, o) }); return new Promise<string>(() => undefined); } }
  : outbox;
const snmp = createSnmpReceiver(snmpReceiverConfigSchema.parse({
  address: '127.0.0.1', port: Number(snmpPort), communities: ['c1'], engineId: '8000B98380AABBCCDD11',
  users: [{ name: 'eraadmin', level: 'authPriv', authKey: 'auth-secret-1', privKey: 'priv-secret-1' }],
}), { sink, logger, retries });
const smtp = createSmtpReceiver(
  smtpReceiverConfigSchema.parse({ port: Number(smtpPort), recipients: { addresses: ['alerts@relay.example'] } }),
  { sink, logger, retries },
);
await snmp.start();
await smtp.start();
say({ snmp: snmp.port(), smtp: smtp.address()?.port });
