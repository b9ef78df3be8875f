// Operator commands on the collector's data: tickets, response targets, triage rules, notifications, advisories,
// and the collector's status. Each opens the services, calls the stage's plain command function, prints, closes.
// Every module a command needs is imported when the command runs, so `xpears --help` stays fast.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { printList, printRecord } from '../output.js';
import type { CollectorServices } from '../runtime/services.js';
import { commandGroup } from './groups.js';
import { XpearsError } from '../../lib/errors.js';

/** Runs `fn` with the collector's services open, closing them after. */
export async function withServices<T>(configFile: string | undefined, fn: (s: CollectorServices) => T | Promise<T>): Promise<T> {
  const [{ collectorConfig }, { openCollectorServices }, { silentLogger }, { systemClock }] = await Promise.all([
    import('../context.js'), import('../runtime/services.js'), import('../../lib/logger.js'), import('../../lib/clock.js'),
  ]);
  const services = await openCollectorServices(collectorConfig(configFile), { logger: silentLogger(), clock: systemClock });
  try {
    return await fn(services);
  } finally {
    // Closes the advisory fetcher's keep-alive connections too, so the command ends at once.
    await services.advisories.stop();
    services.close();
  }
}

const tickets = () => import('../../collector/tickets/index.js');
const notifications = () => import('../../collector/notify/commands.js');
const advisoryCommands = () => import('../../collector/advisories/commands.js');
const who = () => process.env.XPEARS_OPERATOR ?? userInfo().username;
const cfg = '--config <file>';
const cfgHelp = 'collector configuration';

/** Registers ticket, sla, rules, notification, advisory and `collector status` commands. */
export function registerOperationCommands(program: Command): void {
  const ticket = program.command('ticket').description('tickets opened from critical events');
  ticket.command('list').description('tickets, open ones by default').option('--state <state>', 'open (default), all, or one state')
    .option('--customer <id>').option('--level <L1|L2|L3>').option('--limit <n>', 'at most n', '50').option('--json', 'print a JSON array').option(cfg, cfgHelp)
    .action((o) => withServices(o.config, async (s) => {
      const r = (await tickets()).ticketList(s.tickets, { state: o.state, customer: o.customer, level: o.level, limit: Number(o.limit) });
      console.log(o.json ? JSON.stringify(r.data, null, 2) : r.text);
    }));
  ticket.command('show <id>').description('one ticket with its events and history').option('--json', 'print JSON').option(cfg, cfgHelp)
    .action((id, o) => withServices(o.config, async (s) => {
      const r = (await tickets()).ticketShow(s.tickets, id);
      console.log(o.json ? JSON.stringify(r.data, null, 2) : r.text);
    }));
  const actions = { ack: 'ticketAck', escalate: 'ticketEscalate', resolve: 'ticketResolve', close: 'ticketClose' } as const;
  const help = { ack: 'acknowledge: the first response (the response target is met or missed now)', escalate: 'raise to the next level', resolve: 'mark resolved', close: 'close' };
  for (const [name, fn] of Object.entries(actions)) {
    ticket.command(`${name} <id>`).description(help[name as keyof typeof help]).option('--note <text>').option('--by <name>', 'who (default: $XPEARS_OPERATOR or the user)')
      .option('--json', 'print JSON').option(cfg, cfgHelp)
      .action((id, o) => withServices(o.config, async (s) => {
        const r = (await tickets())[fn](s.tickets, id, { by: o.by ?? who(), note: o.note });
        console.log(o.json ? JSON.stringify(r.data, null, 2) : r.text);
      }));
  }

  program.command('sla').description('response targets').command('due')
    .description("when the first response is due for a case arriving at a given time")
    .requiredOption('--plan <plan>', 'basic, advanced, managed, premium').requiredOption('--case <kind>', 'threat-incident, severity-1 … severity-4')
    .requiredOption('--at <time>', 'arrival, ISO 8601 (no offset: Buenos Aires time)').option(cfg, cfgHelp)
    .action(async (o) => {
      const [{ collectorConfig }, { slaDue }, { resolvePlans }, { createBusinessCalendar }] = await Promise.all([
        import('../context.js'), import('../../collector/commands/sla.js'), import('../../config/plans.js'), import('../../config/calendar.js'),
      ]);
      const config = collectorConfig(o.config);
      console.log(slaDue({ plan: o.plan, caseKind: o.case, at: o.at }, { plans: resolvePlans(config.plans as Parameters<typeof resolvePlans>[0]), calendar: createBusinessCalendar(config.calendar) }));
    });

  program.command('rules').description('triage rules').command('test <file>')
    .description('which rule each event in FILE (a JSON event or array) hits, and the outcome').option('--json', 'print a JSON array').option(cfg, cfgHelp)
    .option('--pipeline', 'the whole pipeline on a throwaway copy: windows, silences, storm control, tickets and mails (docs/noise.md)')
    .option('--customer <id>', 'the customer the events are for (with --pipeline)')
    .action(async (file: string, o) => {
      if (o.pipeline) {
        if (!o.customer) throw new XpearsError('INVALID_ARGUMENT', '--pipeline needs --customer ID');
        const [{ collectorConfig }, { simulatePipeline, formatSimulation }] = await Promise.all([import('../context.js'), import('./rules-simulate.js')]);
        const r = await simulatePipeline(collectorConfig(o.config), file, o.customer, new Date());
        console.log(o.json ? JSON.stringify(r, null, 2) : formatSimulation(r));
        return;
      }
      const [{ collectorConfig }, { loadTriageRules, rulesTest, formatRulesTest }] = await Promise.all([import('../context.js'), import('../../collector/triage/index.js')]);
      const results = rulesTest(file, loadTriageRules(collectorConfig(o.config).tickets.rulesFile));
      console.log(o.json ? JSON.stringify(results, null, 2) : formatRulesTest(results));
    });

  const notification = program.command('notification').description('the outgoing notification outbox');
  notification.command('list').description('notifications, newest first').option('--state <state>', 'pending, sent, dead or all', 'all')
    .option('--limit <n>', 'at most n', '50').option('--json', 'print a JSON array').option(cfg, cfgHelp)
    .action((o) => withServices(o.config, async ({ outbox }) => {
      const r = (await notifications()).listNotifications(outbox, { state: o.state, limit: Number(o.limit) });
      console.log(o.json ? JSON.stringify(r.data, null, 2) : r.text);
    }));
  notification.command('retry [id]').description('send a dead notification again (or --all dead ones)').option('--all', 'every dead notification').option(cfg, cfgHelp)
    .action((id: string | undefined, o) => withServices(o.config, async ({ outbox }) => {
      const { retryDeadNotifications, retryNotification } = await notifications();
      console.log(o.all || !id ? retryDeadNotifications(outbox).text : retryNotification(outbox, id).text);
    }));

  const advisory = program.command('advisory').description("vendors' threat advisories");
  advisory.command('list').option('--state <state>').option('--risk <level>').option('--vendor <vendor>').option('--source <id>')
    .option('--limit <n>', 'at most n', '50').option('--json', 'print a JSON array').option(cfg, cfgHelp)
    .action((o) => withServices(o.config, async ({ advisories }) => {
      const rows = (await advisoryCommands()).listAdvisoriesCommand(advisories, o);
      printList(rows, [
        { header: 'ID', value: (r) => r.id }, { header: 'STATE', value: (r) => r.state }, { header: 'RISK', value: (r) => r.risk },
        { header: 'KIND', value: (r) => r.kind }, { header: 'VENDOR', value: (r) => r.vendor }, { header: 'SEEN', value: (r) => r.firstSeen },
        { header: 'ROUTING', value: (r) => r.routing }, { header: 'TITLE', value: (r) => r.title },
      ], { json: o.json, empty: 'no advisories' });
    }));
  advisory.command('show <id>').option('--json', 'print JSON').option(cfg, cfgHelp)
    .action((id, o) => withServices(o.config, async ({ advisories }) => printRecord((await advisoryCommands()).showAdvisoryCommand(advisories, id), { json: o.json })));
  advisory.command('approve <id>').description('release a held advisory to its recipients').option('--by <name>').option(cfg, cfgHelp)
    .action((id, o) => withServices(o.config, async ({ advisories }) => printRecord(await (await advisoryCommands()).approveAdvisoryCommand(advisories, id, o.by ?? who()), {})));
  advisory.command('drop <id>').description('never send a held advisory').requiredOption('--reason <text>').option('--by <name>').option(cfg, cfgHelp)
    .action((id, o) => withServices(o.config, async ({ advisories }) => printRecord((await advisoryCommands()).dropAdvisoryCommand(advisories, id, o.by ?? who(), o.reason), {})));
  advisory.command('poll').description('poll the sources now; print what was new, its risk and its recipients').option('--source <id>').option('--json', 'print JSON').option(cfg, cfgHelp)
    .action((o) => withServices(o.config, async ({ advisories }) => {
      const r = await (await advisoryCommands()).pollAdvisoriesCommand(advisories, { source: o.source });
      if (o.json) { console.log(JSON.stringify(r, null, 2)); return; }
      printList(r.sources, [
        { header: 'SOURCE', value: (s) => s.source }, { header: 'OUTCOME', value: (s) => s.outcome }, { header: 'ITEMS', value: (s) => s.items },
        { header: 'NEW', value: (s) => s.new }, { header: 'ERROR', value: (s) => s.error },
      ], {});
      for (const a of r.advisories) console.log(`\n[${a.risk} via ${a.riskSource}] ${a.vendor} ${a.kind}: ${a.title} (${a.state})\n  → ${a.recipients.join('\n  → ') || 'no recipient'}`);
    }));
  advisory.command('sources').description('each source and how its last polls went').option('--json', 'print a JSON array').option(cfg, cfgHelp)
    .action((o) => withServices(o.config, async ({ advisories }) => {
      const rows = (await advisoryCommands()).advisorySourcesCommand(advisories);
      if (o.json) console.log(JSON.stringify(rows, null, 2)); else for (const r of rows) console.log(Object.values(r).join('  '));
    }));

  commandGroup(program, 'collector').command('status')
    .description("what needs a person at the collector: dead notifications, failing advisory sources, silent agents, overdue tickets")
    .option('--json', 'print JSON').option(cfg, cfgHelp)
    .action((o) => withServices(o.config, async (s) => {
      const { collectorStatus, printCollectorStatus } = await import('./status.js');
      const status = collectorStatus(s, new Date());
      if (o.json) console.log(JSON.stringify(status, null, 2)); else printCollectorStatus(status);
      if (status.problems.length > 0) process.exitCode = 1;
    }));
}
