// Commands that run or inspect the product: collector start|reparse, agent start|status, event list, config check.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { printList } from '../output.js';
import { commandGroup } from './groups.js';
import { systemClock } from '../../lib/clock.js';
import { XpearsError } from '../../lib/errors.js';
import type { AgentStatus } from '../../agent/status.js';
import type { Logger } from '../../lib/logger.js';

/** Parses --since: an ISO date/time, or a span back from now like 30m, 12h, 7d. */
export function parseSince(value: string | undefined, now: Date = new Date()): string | undefined {
  if (!value) return undefined;
  const m = /^(\d+)([mhd])$/.exec(value);
  if (m) return new Date(now.getTime() - Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd']).toISOString();
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new XpearsError('INVALID_ARGUMENT', `--since "${value}": give an ISO date or time, or a span like 30m, 12h, 7d`);
  return new Date(t).toISOString();
}

/** Waits for SIGINT or SIGTERM, runs `stop` once and exits 0 (1 when it failed or outlasted the grace; a second signal forces it): lib/shutdown.ts. */
export async function stopOnSignal(stop: () => Promise<void>, logger?: Logger): Promise<void> {
  const [{ exitOnSignal }, { createLogger }] = await Promise.all([import('../../lib/shutdown.js'), import('../../lib/logger.js')]);
  await exitOnSignal(stop, { logger: logger ?? createLogger({ name: 'xpears' }) });
}

/**
 * Runs a long-lived process: the signal handlers are in place before `start` begins, so a SIGTERM that arrives while it
 * starts (or just after it said it was ready) is a clean stop once the start finished, never Node's default kill. A
 * start that fails throws, as before.
 */
export async function runUntilSignal(start: () => Promise<{ stop(): Promise<void> }>, logger: Logger): Promise<void> {
  const { exitOnSignal } = await import('../../lib/shutdown.js');
  const starting = start();
  const stopped = exitOnSignal(async () => { await (await starting).stop(); }, { logger });
  await starting;
  await stopped;
}

/** Registers the runtime commands. */
export function registerRuntimeCommands(program: Command, agent: Command): void {
  const collector = commandGroup(program, 'collector', 'the central collector');
  collector.command('start').description('start the collector').option('--config <file>', 'collector configuration (JSON or YAML)')
    .action(async (o) => {
      const [{ collectorConfig }, { createLogger }] = await Promise.all([import('../context.js'), import('../../lib/logger.js')]);
      const config = collectorConfig(o.config);
      const logger = createLogger({ name: 'collector' });
      const { startCollector } = await import('../runtime/collector.js');
      await runUntilSignal(() => startCollector(config, { logger, clock: systemClock }), logger);
    });
  collector.command('backup').description('a consistent copy of the database (while the collector runs) and of the registry')
    .requiredOption('--out <file>', 'the copy of the database; the registry goes to <file>.registry.json').option('--config <file>', 'collector configuration')
    .action(async (o) => {
      const [{ collectorConfig }, { backupCollector }, { collectorPaths }] = await Promise.all([
        import('../context.js'), import('../../collector/backup.js'), import('../runtime/paths.js')]);
      const r = await backupCollector(collectorPaths(collectorConfig(o.config)), o.out);
      console.log(`backup written: ${r.database} (${r.bytes} bytes, ${r.envelopes} envelopes, ${r.tickets} tickets)${r.registry ? `, registry ${r.registry}` : ', no registry'}`);
    });
  collector.command('compact').description('with the collector stopped: store old events once and give the freed space back to the disk (VACUUM)')
    .option('--config <file>', 'collector configuration')
    .action(async (o) => {
      const [{ collectorConfig, openDb }, { compactStore }] = await Promise.all([import('../context.js'), import('../../collector/store/compact.js')]);
      const db = openDb(collectorConfig(o.config));
      try {
        const r = compactStore(db);
        console.log(`compacted: ${r.detailsRewritten} events and ${r.payloadsRewritten} envelopes rewritten, database ${r.before} → ${r.after} bytes; freed space now goes back to the disk after each prune`);
      } finally {
        db.close();
      }
    });
  collector.command('reparse').description('run the parsers again over stored envelopes, replacing their events')
    .option('--since <when>', 'only envelopes captured since (ISO or 7d)').option('--customer <id>').option('--config <file>', 'collector configuration')
    .action(async (o) => {
      const [{ collectorConfig, openDb, openRegistry }, { SqliteEventRepository }] = await Promise.all([import('../context.js'), import('../../collector/store/store.js')]);
      const config = collectorConfig(o.config);
      const { reparse } = await import('../../collector/pipeline/reparse.js');
      const db = openDb(config);
      const registry = await openRegistry(config);
      const r = reparse(new SqliteEventRepository(db), registry, { since: parseSince(o.since), customerId: o.customer });
      db.close();
      console.log(`reparsed ${r.envelopes} envelopes: ${r.events} events (${r.changed} envelopes changed, ${r.unclassified} events unclassified)`);
    });

  program.command('event').description('events parsed at the collector').command('list').description('list events, newest first')
    .option('--customer <id>').option('--since <when>', 'ISO date/time or a span like 24h, 7d').option('--type <eventType>')
    .option('--limit <n>', 'at most n events', '50').option('--json', 'print a JSON array').option('--config <file>', 'collector configuration')
    .action(async (o) => {
      const [{ collectorConfig, openDb }, { SqliteEventRepository }] = await Promise.all([import('../context.js'), import('../../collector/store/store.js')]);
      const db = openDb(collectorConfig(o.config));
      const listed = new SqliteEventRepository(db).listEvents({ customerId: o.customer, since: parseSince(o.since), eventType: o.type, limit: Number(o.limit) });
      // What kept an event from a ticket: a maintenance window (M-N) or a silence (S-N), docs/noise.md.
      const { NoiseStore } = await import('../../collector/noise/store.js');
      const suppressed = new NoiseStore(db).suppressionsOf(listed.map((e) => e.id));
      db.close();
      const events = listed.map((e) => ({ ...e, suppressedBy: suppressed.get(e.id) ?? null }));
      printList(events, [
        { header: 'OCCURRED (UTC)', value: (e) => e.occurredAt.replace(/\.\d+Z$/, 'Z') }, { header: 'CUSTOMER', value: (e) => e.customerId },
        { header: 'VENDOR', value: (e) => e.vendor }, { header: 'TYPE', value: (e) => e.eventType }, { header: 'SEV', value: (e) => e.severity },
        { header: 'COMPUTER', value: (e) => e.computer?.name },
        { header: 'SUPPRESSED', value: (e) => e.suppressedBy && `${e.suppressedBy.kind} ${e.suppressedBy.ref}` }, { header: 'SUMMARY', value: (e) => e.summary },
      ], { json: o.json, empty: 'no events' });
    });

  agent.command('start').description('start the agent').requiredOption('--config <file>', 'agent configuration (JSON or YAML)')
    .action(async (o) => {
      const [{ loadConfigFile }, { agentConfigSchema }, { createLogger }] = await Promise.all([import('../../config/load.js'), import('../../agent/config.js'), import('../../lib/logger.js')]);
      const config = loadConfigFile(agentConfigSchema, o.config);
      const logger = createLogger({ name: 'agent' });
      const { startAgent } = await import('../../agent/index.js');
      await runUntilSignal(() => startAgent(config, { logger, clock: systemClock }), logger);
    });
  agent.command('status').description("a running agent's state, problems first; exit code 1 when something needs a person")
    .option('--config <file>', 'agent configuration (to find its status port)').option('--url <url>', 'status URL', 'http://127.0.0.1:9465')
    .option('--json', 'print JSON')
    .action(async (o) => {
      let url = o.url as string;
      if (o.config) {
        const [{ loadConfigFile }, { agentConfigSchema }] = await Promise.all([import('../../config/load.js'), import('../../agent/config.js')]);
        const c = loadConfigFile(agentConfigSchema, o.config);
        url = `http://${c.status.address}:${c.status.port}`;
      }
      const { request } = await import('undici');
      let status: AgentStatus;
      try {
        const res = await request(`${url}/status`, { headersTimeout: 5000, bodyTimeout: 5000 });
        status = (await res.body.json()) as AgentStatus;
      } catch (err) {
        throw new XpearsError('NOT_FOUND', `no agent answers at ${url} (${(err as Error).message}): is it running?`);
      }
      if (o.json) console.log(JSON.stringify(status, null, 2));
      else printAgentStatus(status);
      if (status.problems.length > 0) process.exitCode = 1;
    });

  program.command('config').description('configuration files').command('check <file>')
    .description('validate an agent or collector configuration and print every problem')
    .option('--kind <agent|collector>', 'which configuration (default: guessed from its keys)')
    .action(async (file: string, o) => {
      const [{ parseConfigText }, { checkConfigValue }] = await Promise.all([import('../../config/load.js'), import('../config-check.js')]);
      const kind = checkConfigValue(parseConfigText(readFileSync(file, 'utf8'), file), file, o.kind);
      console.log(`${file}: a valid ${kind} configuration`);
    });
}

function printAgentStatus(s: AgentStatus): void {
  console.log(s.problems.length === 0 ? 'OK: nothing needs attention' : `PROBLEMS (${s.problems.length}):`);
  for (const p of s.problems) console.log(`  - ${p}`);
  console.log(`agent ${s.version}, started ${s.startedAt}, collector ${s.collectorUrl}`);
  console.log(`outbox: ${s.outbox.depth} waiting (${s.outbox.bytes} bytes), oldest ${s.outbox.oldestCapturedAt ?? '-'}, dead letters ${s.outbox.deadLettered}${s.outbox.refusing ? ', REFUSING' : ''}`);
  console.log(`forwarded: ${s.forwarder.sent} accepted, ${s.forwarder.duplicates} duplicates, last success ${s.forwarder.lastSuccessAt ?? 'never'}`);
  console.log(`heartbeat: last sent ${s.heartbeat.lastSentAt ?? 'never'}`);
  for (const r of s.receivers) console.log(`receiver ${r.name}: ${r.healthy ? 'up' : 'DOWN'} on ${r.listening}, ${r.received} received, ${r.rejected} refused ${JSON.stringify(r.rejectedByReason)}`);
}
