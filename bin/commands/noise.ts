// `xpears maintenance add|list|end` and `xpears silence add|list|expire`: noise control on the collector's database
// (docs/noise.md). Every change names its author: --author, else `cli:<os user>`.
import type { Command } from 'commander';
import { printList } from '../output.js';
import { XpearsError } from '../../lib/errors.js';
import type { NoiseStore } from '../../collector/noise/store.js';
import type { WindowSchedule } from '../../collector/noise/schedule.js';
import type { NoiseConfig } from '../../collector/noise/config.js';
import { cliActor } from './users.js';

async function withNoise<T>(configFile: string | undefined, fn: (store: NoiseStore, now: Date, config: NoiseConfig) => T): Promise<T> {
  const [{ collectorConfig, openDb }, { NoiseStore }] = await Promise.all([import('../context.js'), import('../../collector/noise/store.js')]);
  const config = collectorConfig(configFile);
  const db = openDb(config);
  try { return fn(new NoiseStore(db), new Date(), config.noise); } finally { db.close(); }
}

/** The schedule the options name: exactly one of --from/--to, --weekly, --monthly. */
export async function scheduleFromOptions(o: { from?: string; to?: string; weekly?: string[]; monthly?: string[] }): Promise<WindowSchedule> {
  const { parseWeekly, parseMonthly } = await import('../../collector/noise/schedule.js');
  const given = [o.from !== undefined || o.to !== undefined, o.weekly !== undefined, o.monthly !== undefined].filter(Boolean).length;
  if (given !== 1) throw new XpearsError('INVALID_ARGUMENT', 'give one of --from/--to, --weekly DAYS HH:MM-HH:MM or --monthly NTH-DAY HH:MM-HH:MM');
  if (o.weekly) return parseWeekly(o.weekly[0] ?? '', o.weekly[1] ?? '');
  if (o.monthly) return parseMonthly(o.monthly[0] ?? '', o.monthly[1] ?? '');
  if (!o.from || !o.to) throw new XpearsError('INVALID_ARGUMENT', 'a one-off window needs both --from and --to');
  const iso = (t: string) => { const d = new Date(t); if (Number.isNaN(d.getTime())) throw new XpearsError('INVALID_ARGUMENT', `"${t}" is not a date/time`); return d.toISOString(); };
  return { kind: 'once', from: iso(o.from), to: iso(o.to) };
}

/** An end time from --end (ISO) or --for (30m, 2h, 3d), relative to now. */
export function silenceEnd(o: { end?: string; for?: string }, now: Date): string {
  if (o.for) {
    const m = /^(\d+)([mhd])$/.exec(o.for.trim());
    if (!m) throw new XpearsError('INVALID_ARGUMENT', `--for takes a span like 30m, 2h or 3d, not "${o.for}"`);
    return new Date(now.getTime() + Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd']).toISOString();
  }
  if (!o.end) throw new XpearsError('INVALID_ARGUMENT', 'a silence needs an end: --end T or --for SPAN');
  const d = new Date(o.end);
  if (Number.isNaN(d.getTime())) throw new XpearsError('INVALID_ARGUMENT', `"${o.end}" is not a date/time`);
  return d.toISOString();
}

/** Registers `maintenance add|list|end`. */
export function registerMaintenanceCommands(program: Command): void {
  const cfg = ['--config <file>', 'collector configuration'] as const;
  const m = program.command('maintenance').description('maintenance windows: events stored and marked, no ticket, no mail');
  m.command('add').description('add a window for a customer, one of its agents or one computer')
    .requiredOption('--customer <id>').option('--agent <id>').option('--computer <name>')
    .option('--from <time>', 'one-off start (ISO with offset)').option('--to <time>', 'one-off end')
    .option('--weekly <days-and-hours...>', 'e.g. sat 22:00-02:00 (customer zone)').option('--monthly <day-and-hours...>', 'e.g. first-sun 06:00-10:00')
    .requiredOption('--reason <text>').option('--author <name>').option(...cfg)
    .action(async (o) => {
      const schedule = await scheduleFromOptions(o);
      const w = await withNoise(o.config, (s, now) => s.addWindow({ customerId: o.customer, agentId: o.agent ?? null,
        computer: o.computer ?? null, schedule, reason: o.reason, author: o.author ?? cliActor() }, now));
      console.log(`maintenance window ${w.id} added for ${w.customerId}`);
    });
  m.command('list').description('windows not ended, and whether each is open now').option('--customer <id>').option('--all', 'ended ones too')
    .option('--json', 'print a JSON array').option(...cfg)
    .action(async (o) => {
      const [{ describeSchedule }, { windowOpen }, { collectorConfig, openRegistry }] = await Promise.all([
        import('../../collector/noise/schedule.js'), import('../../collector/noise/match.js'), import('../context.js')]);
      // Whether a window is open now is read in its customer's zone.
      const registry = await openRegistry(collectorConfig(o.config));
      const rows = await withNoise(o.config, (s, now) => s.windows({ customerId: o.customer, all: o.all })
        .map((w) => ({ ...w, openNow: windowOpen(w, now, registry.getCustomer(w.customerId)) })));
      printList(rows, [
        { header: 'ID', value: (w) => w.id }, { header: 'CUSTOMER', value: (w) => w.customerId }, { header: 'AGENT', value: (w) => w.agentId },
        { header: 'COMPUTER', value: (w) => w.computer }, { header: 'SCHEDULE', value: (w) => describeSchedule(w.schedule) },
        { header: 'OPEN', value: (w) => (w.openNow ? 'yes' : 'no') }, { header: 'ENDED', value: (w) => w.endedAt },
        { header: 'REASON', value: (w) => w.reason }, { header: 'AUTHOR', value: (w) => w.author },
      ], { json: o.json, empty: 'no maintenance windows' });
    });
  m.command('end <id>').description('end a window now').option(...cfg)
    .action(async (id: string, o) => {
      const ended = await withNoise(o.config, (s, now) => s.endWindow(id, now));
      console.log(ended ? `maintenance window ${id} ended` : `maintenance window ${id} had already ended`);
    });
}

/** Registers `silence add|list|expire`. */
export function registerSilenceCommands(program: Command): void {
  const cfg = ['--config <file>', 'collector configuration'] as const;
  const s = program.command('silence').description('silences: events matching every matcher open no ticket until the end');
  s.command('add').description('add a silence (an end is mandatory)')
    .option('--customer <id>').option('--vendor <vendor>').option('--type <eventType>').option('--computer <name>')
    .option('--threat <name>').option('--rule <name>', 'triage rule')
    .option('--end <time>', 'end (ISO)').option('--for <span>', 'or a span: 30m, 2h, 3d')
    .requiredOption('--comment <text>').option('--author <name>').option(...cfg)
    .action(async (o) => {
      const matchers = Object.fromEntries(Object.entries({ customer: o.customer, vendor: o.vendor, eventType: o.type,
        computer: o.computer, threat: o.threat, rule: o.rule }).filter(([, v]) => v !== undefined));
      const created = await withNoise(o.config, (st, now, config) => st.addSilence({ matchers, endsAt: silenceEnd(o, now),
        comment: o.comment, author: o.author ?? cliActor() }, now, config.silences.maxHours));
      console.log(`silence ${created.id} added until ${created.endsAt}`);
    });
  s.command('list').description('active silences and those ended recently').option('--json', 'print a JSON array').option(...cfg)
    .action(async (o) => {
      const rows = await withNoise(o.config, (st, now, config) => st.silences(now, config.silences.listAfterEndHours)
        .map((x) => ({ ...x, active: !x.expiredAt && Date.parse(x.endsAt) > now.getTime() })));
      printList(rows, [
        { header: 'ID', value: (x) => x.id }, { header: 'MATCHERS', value: (x) => Object.entries(x.matchers).map(([k, v]) => `${k}=${v}`).join(' ') },
        { header: 'ENDS', value: (x) => x.expiredAt ?? x.endsAt }, { header: 'ACTIVE', value: (x) => (x.active ? 'yes' : 'no') },
        { header: 'COMMENT', value: (x) => x.comment }, { header: 'AUTHOR', value: (x) => x.author },
      ], { json: o.json, empty: 'no silences' });
    });
  s.command('expire <id>').description('end a silence now').option(...cfg)
    .action(async (id: string, o) => {
      const done = await withNoise(o.config, (st, now) => st.expireSilence(id, now));
      console.log(done ? `silence ${id} expired` : `silence ${id} had already ended`);
    });
}
