// `xpears demo` (what `npm start` runs): a collector and an agent together on the embedded defaults, with a demo
// customer enrolled on first run, data under ./data, and the ports and commands to try printed.
import type { Command } from 'commander';
import { chmodSync, mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock } from '../../lib/clock.js';
import { stopOnSignal } from './runtime.js';

/** The demo's fixed ports and names. */
export const DEMO = {
  customer: 'demo',
  recipient: 'alertas@agente.xpears.local',
  community: 'xpears-demo',
  ports: { collector: 8080, snmp: 1162, smtp: 2525, syslog: 1514, status: 9465, mailbox: 2526, cas: 2527 },
  engineer: { name: 'Guardia CAS', email: 'guardia@xpears.local', language: 'es' as const },
  /** The external help desk's mailbox the demo sends each new case to (it lands in the demo mailbox). */
  helpdesk: 'mesa-de-ayuda@helpdesk.local',
};

/** The demo's engineer for the CAS console (a lead), created on first run; the password is kept beside the data. */
async function ensureDemoEngineer(db: import('../../collector/store/db.js').Db, dataDir: string): Promise<{ login: string; password: string }> {
  const { AccountStore } = await import('../../collector/accounts/index.js');
  const { randomBytes } = await import('node:crypto');
  const accounts = new AccountStore(db, systemClock);
  const file = join(dataDir, 'console.password');
  const login = 'guardia';
  if (!accounts.get(login) || !existsSync(file)) {
    const password = randomBytes(9).toString('base64url');
    if (accounts.get(login)) await accounts.resetPassword(login, password, 'demo');
    else await accounts.addUser({ login, name: DEMO.engineer.name, email: DEMO.engineer.email, role: 'lead', password }, 'demo');
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
  }
  return { login, password: readFileSync(file, 'utf8').trim() };
}

/** Registers `xpears demo`. */
export function registerDemoCommand(program: Command): void {
  program.command('demo').description('run a collector and an agent together on the embedded defaults (npm start)')
    .option('--data <dir>', 'data folder', './data')
    .action(async (o) => {
      const [{ openRegistry }, { collectorConfigSchema }, { validateConfig }, { agentConfigSchema }, { notifyConfigSchema }, { createLogger }] = await Promise.all([
        import('../context.js'), import('../../collector/config.js'), import('../../config/load.js'), import('../../agent/config.js'),
        import('../../collector/notify/config.js'), import('../../lib/logger.js'),
      ]);
      const dataDir = resolve(o.data as string);
      const config = { ...validateConfig(collectorConfigSchema, {}, 'the embedded defaults'), dataDir: join(dataDir, 'collector') };
      const logger = createLogger({ name: 'xpears', level: process.env.XPEARS_LOG_LEVEL ?? 'warn' });
      const tokenFile = join(dataDir, 'agent', 'token');
      const registry = await openRegistry(config);
      if (!registry.getCustomer(DEMO.customer) || !existsSync(tokenFile)) {
        if (!registry.getCustomer(DEMO.customer)) {
          const year = new Date().getUTCFullYear() + 1;
          await registry.addCustomer({
            id: DEMO.customer, name: 'Cliente Demo SA', plan: 'managed',
            products: [
              { vendor: 'eset', product: 'ESET PROTECT Complete', maintenanceExpires: `${year}-06-30` },
              { vendor: 'symantec', product: 'Symantec Endpoint Protection', maintenanceExpires: `${year}-03-31` },
            ],
          });
          await registry.addContact(DEMO.customer, { name: 'Ana Gómez', email: 'ana.gomez@cliente-demo.com.ar', language: 'es', products: [] });
        }
        const { token } = await registry.enrollAgent(DEMO.customer, 'demo agent');
        mkdirSync(join(dataDir, 'agent'), { recursive: true });
        writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
        console.log(`First run: customer "${DEMO.customer}" created and its agent enrolled (token in ${tokenFile}).`);
      }
      const { startCollector } = await import('../runtime/collector.js');
      const { startDemoMailbox } = await import('../runtime/demo-mailbox.js');
      const mailbox = await startDemoMailbox(join(dataDir, 'mailbox'), DEMO.ports.mailbox);
      // A help-desk integration as it would be: every ticket step signed to a local receiver, new cases to a mailbox.
      const { startDemoWebhookReceiver } = await import('../runtime/demo-webhooks.js');
      const secret = (await import('node:crypto')).randomBytes(24).toString('base64url');
      const hooks = await startDemoWebhookReceiver(join(dataDir, 'webhooks'), secret);
      const notify = validateConfig(notifyConfigSchema, {
        smtp: { host: '127.0.0.1', port: mailbox.port, starttls: 'never', pool: false },
        from: { address: 'cas@xpears.local', name: 'Xpears CAS (demo)' },
        webhooks: { demo: { url: hooks.url, secret } }, helpdesk: { mailbox: DEMO.helpdesk },
        tickets: { webhooks: [{ webhook: 'demo' }], helpdesk: true },
        onDuty: [DEMO.engineer], dispatch: { intervalMs: 1000 },
      }, 'the demo notification settings');
      const effective = {
        ...config, listen: { address: '127.0.0.1', port: DEMO.ports.collector }, notify,
        // The demo makes no request to the internet: advisories are polled only by `xpears advisory poll`.
        advisories: { ...config.advisories, enabled: false },
        // The CAS mailbox: contacts' mail opens and answers cases (docs/cases.md).
        cases: { ...config.cases, smtp: { ...config.cases.smtp, enabled: true, port: DEMO.ports.cas } },
      };
      // What later commands (`xpears ticket list`, `collector status`) read when run from the same folder.
      // Holds the demo webhook's secret: readable by its owner only, also when left by an earlier run.
      writeFileSync(join(dataDir, 'collector.json'), `${JSON.stringify(effective, null, 2)}\n`, { mode: 0o600 });
      chmodSync(join(dataDir, 'collector.json'), 0o600);
      const collector = await startCollector(effective, { logger, clock: systemClock });
      const engineer = await ensureDemoEngineer(collector.db, dataDir);
      const agentConfig = validateConfig(agentConfigSchema, {
        dataDir: join(dataDir, 'agent'),
        collector: { url: collector.url, tokenFile },
        forwarder: { idlePollMs: 200 },
        status: { port: DEMO.ports.status },
        receivers: {
          snmp: { address: '127.0.0.1', port: DEMO.ports.snmp, communities: [DEMO.community] },
          smtp: { host: '127.0.0.1', port: DEMO.ports.smtp, recipients: { addresses: [DEMO.recipient], domains: [] } },
          syslog: { udp: { port: DEMO.ports.syslog }, tcp: { port: DEMO.ports.syslog } },
        },
      }, 'the demo agent configuration');
      writeFileSync(join(dataDir, 'agent.json'), `${JSON.stringify({ ...agentConfig, collector: { ...agentConfig.collector } }, null, 2)}\n`);
      const { startAgent } = await import('../../agent/index.js');
      const agent = await startAgent(agentConfig, { logger, clock: systemClock });
      const cli = 'node dist/bin/xpears.js';
      const admin = readFileSync(join(config.dataDir, 'admin.token'), 'utf8').trim();
      console.log(`
xpears-relay demo running (data in ${dataDir}; Ctrl-C stops it)
  collector:     ${collector.url}  (GET /healthz, /metrics; operator token in ${join(config.dataDir, 'admin.token')})
  console:       ${collector.url}/console  (log in as "${engineer.login}", password ${engineer.password}; more users: ${cli} user add)
  agent status:  http://127.0.0.1:${DEMO.ports.status}/status
  notifications: sent to a local mailbox on 127.0.0.1:${mailbox.port}, saved as .eml files in ${mailbox.dir}
  webhooks:      every ticket step signed (HMAC) to ${hooks.url}, verified and saved as .json files in ${hooks.dir}
  help desk:     each new case mailed to ${DEMO.helpdesk} in the manuals' case format (an .eml in ${mailbox.dir})
  portal:        ${collector.url}/portal  (designated contacts sign in with a one-time link mailed to them)
  ${collector.cases.describe() ?? 'CAS mailbox: off'}  (a designated contact's mail opens a case; a reply lands on it)
Agent receivers (point a console, or the commands below, at them):
  SNMP traps:    udp 127.0.0.1:${DEMO.ports.snmp}   community "${DEMO.community}"
  SMTP:          tcp 127.0.0.1:${DEMO.ports.smtp}   accepts mail for ${DEMO.recipient}
  Syslog:        udp 127.0.0.1:${DEMO.ports.syslog}, tcp 127.0.0.1:${DEMO.ports.syslog}
Try (samples of what the consoles send):
  snmptrap -v 2c -c ${DEMO.community} 127.0.0.1:${DEMO.ports.snmp} '' 1.3.6.1.4.1.99999.0.1 1.3.6.1.4.1.99999.1.1 s 'Detection type: Trojan Detection name: JS/TrojanDownloader.Nemucod.AIC Computer name: pc-01.cliente-demo.local Logged user: DEMO\\ana Time of occurrence: 11/20/26, 4:27:59 PM UTC-3 Scanner: Real-time file system protection Action performed: Blocked'
  swaks --server 127.0.0.1:${DEMO.ports.smtp} --to ${DEMO.recipient} --from sepm@cliente-demo.com.ar --header 'Subject: Evento de riesgo único' --body $'Symantec Endpoint Protection Manager registró un evento de riesgo.\\n\\nNombre del riesgo: W32.Sality.AE\\nNombre del equipo: PC-VENTAS-03\\nAcción realizada: Limpiado por eliminación\\nHora del evento: 20/11/2026 15:02:44'
  logger -n 127.0.0.1 -P ${DEMO.ports.syslog} -d -t ERAServer '{"event_type":"Threat_Event","hostname":"srv-archivos","severity":"Critical","threat_type":"Trojan","threat_name":"Win32/Filecoder.Akira.A","action_taken":"retained","threat_handled":false}'
    (the last one is ransomware the product did not stop: it opens a threat-incident ticket and mails it)
Look at what arrived:
  ${cli} event list
  ${cli} agent list
  ${cli} agent status
  ${cli} ticket list
  ${cli} collector status
  curl -H 'Authorization: Bearer ${admin.slice(0, 8)}…' ${collector.url}/v1/events
`);
      await stopOnSignal(async () => { await agent.stop(); await collector.stop(); await mailbox.close(); await hooks.close(); });
    });
}
