// Delivery: archive versions, the month run over the plans that include the report, mails in each contact's
// language through the real outbox, no second mail on a re-run unless resend, the schedule's day, the commands.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../collector/store/db.js';
import { NotificationOutbox } from '../../collector/notify/outbox.js';
import { createBusinessCalendar } from '../../config/calendar.js';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { createSqliteReportSource } from '../../reports/aggregate.js';
import { archiveReport, listReports } from '../../reports/archive.js';
import { progressLine, reportGenerateCommand, reportListCommand, reportRunCommand } from '../../reports/commands.js';
import { fixedRegistry } from '../../reports/example.js';
import { generateMonthlyReport, runMonthlyReports, type ReportDeps } from '../../reports/run.js';
import { monthDueAt, reportScheduleTick, REPORTS_JOB } from '../../reports/schedule.js';
import { ScheduleLedger } from '../../collector/schedule/ledger.js';
import { AGENTS, BASIC, GOLDEN, OTHER, openStore, pdfText, seedGolden, tempDir } from './helpers.js';

let dir: string;
let db: Db;
let outbox: NotificationOutbox;
let deps: ReportDeps;

beforeEach(() => {
  dir = tempDir();
  db = openStore(dir);
  seedGolden(db);
  const clock = fixedClock('2026-11-02T12:00:00.000Z');
  outbox = new NotificationOutbox({ db, clock, logger: silentLogger() });
  deps = { source: createSqliteReportSource(db), registry: fixedRegistry([GOLDEN, OTHER, BASIC], AGENTS), outbox,
    dataDir: join(dir, 'data'), clock, logger: silentLogger() };
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('archive', () => {
  it('never overwrites: a second report of a month becomes .v2, and both are listed', () => {
    const a = archiveReport(deps.dataDir, 'nandu', '2026-10', Buffer.from('first'));
    const b = archiveReport(deps.dataDir, 'nandu', '2026-10', Buffer.from('second'));
    expect(a.path).toBe(join(deps.dataDir, 'reports', 'nandu', '2026-10.pdf'));
    expect(b.path).toBe(join(deps.dataDir, 'reports', 'nandu', '2026-10.v2.pdf'));
    expect(readFileSync(a.path, 'utf8')).toBe('first');
    expect(listReports(deps.dataDir).map((r) => [r.customerId, r.month, r.version])).toEqual([
      ['nandu', '2026-10', 1], ['nandu', '2026-10', 2]]);
  });

  it('refuses a customer id that would leave the archive', () => {
    expect(() => archiveReport(deps.dataDir, '../etc', '2026-10', Buffer.from('x'))).toThrow(/archive folder/);
  });
});

describe('generate', () => {
  it('archives the PDF and writes the --out copy', async () => {
    const out = join(dir, 'copy', 'nandu.pdf');
    const r = await generateMonthlyReport({ customerId: 'nandu', month: '2026-10', out }, deps);
    expect(r.figures).toEqual({ occurrences: 17, threats: 5, unhandled: 2 });
    expect(r.archived.version).toBe(1);
    expect(readFileSync(out).equals(readFileSync(r.archived.path))).toBe(true);
    expect(pdfText(out)).toContain('Distribuidora Ñandú S.R.L.');
  });
});

describe('run a month', () => {
  it('reports only the plans with the report, mails each contact in their language with the PDF', async () => {
    const progress: string[] = [];
    const summary = await runMonthlyReports({ month: '2026-10', onProgress: (p) => progress.push(progressLine(p, 4)) },
      deps);
    expect(summary).toMatchObject({ customers: 2, generated: 2, reused: 0, failed: 0, queued: 3 });
    expect(summary.outcomes.map((o) => o.customerId)).toEqual(['nandu', 'zeta']);
    expect(progress).toEqual(['[##--] 1/2 nandu generated', '[####] 2/2 zeta generated']);
    const mails = outbox.list();
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['ines@nandu.example', 'john@nandu.example', 'zoe@zeta.example']);
    const ines = mails.find((m) => m.to[0] === 'ines@nandu.example');
    const john = mails.find((m) => m.to[0] === 'john@nandu.example');
    expect(ines?.message.subject).toBe('Informe técnico mensual de octubre de 2026 — Distribuidora Ñandú S.R.L.');
    expect(ines?.message.text).toContain('17 eventos registrados, 5 amenazas detectadas y 2 sin resolver');
    expect(john?.message.subject).toBe('Monthly technical report for October 2026 — Distribuidora Ñandú S.R.L.');
    expect(ines?.dedupKey).toBe('report:nandu:2026-10:c1');
    expect(ines?.attachments?.[0]).toMatchObject({ contentType: 'application/pdf',
      path: join(deps.dataDir, 'reports', 'nandu', '2026-10.pdf'), filename: 'informe-mensual-nandu-2026-10.pdf' });
    expect(existsSync(join(deps.dataDir, 'reports', 'basico'))).toBe(false);
  });

  it('a re-run sends nothing twice and keeps the archived PDF; resend makes a new version and new mails', async () => {
    await runMonthlyReports({ month: '2026-10' }, deps);
    const again = await runMonthlyReports({ month: '2026-10' }, deps);
    expect(again).toMatchObject({ generated: 0, reused: 2 });
    expect(outbox.list()).toHaveLength(3);
    expect(listReports(deps.dataDir)).toHaveLength(2);

    const resent = await runMonthlyReports({ month: '2026-10', resend: true }, deps);
    expect(resent).toMatchObject({ generated: 2, reused: 0 });
    const mails = outbox.list();
    expect(mails).toHaveLength(6);
    expect(mails.map((m) => m.dedupKey)).toContain('report:nandu:2026-10:c1:resend-v2');
    expect(mails.find((m) => m.dedupKey === 'report:nandu:2026-10:c1:resend-v2')?.attachments?.[0]?.path)
      .toBe(join(deps.dataDir, 'reports', 'nandu', '2026-10.v2.pdf'));
    await runMonthlyReports({ month: '2026-10' }, deps);
    expect(outbox.list()).toHaveLength(6);
  });

  it('a customer that fails does not stop the others', async () => {
    const broken = { ...OTHER, id: 'broken', timezone: 'Not/AZone' };
    deps.registry = fixedRegistry([GOLDEN, broken], AGENTS);
    const summary = await runMonthlyReports({ month: '2026-10' }, deps);
    expect(summary).toMatchObject({ customers: 2, generated: 1, failed: 1 });
    expect(summary.outcomes.find((o) => o.customerId === 'broken')?.error).toMatch(/zone/);
  });
});

describe('schedule', () => {
  const calendar = createBusinessCalendar({});

  it('the previous month is due from the first working day of the month, at the hour, until the month ends', () => {
    // 1 November 2026 is a Sunday: the first working day is Monday the 2nd (07:00 in Buenos Aires is 10:00Z).
    expect(monthDueAt(new Date('2026-11-01T12:00:00Z'), calendar, 7)).toBeNull();
    expect(monthDueAt(new Date('2026-11-02T09:59:00Z'), calendar, 7)).toBeNull();
    expect(monthDueAt(new Date('2026-11-02T10:00:00Z'), calendar, 7)).toBe('2026-10');
    expect(monthDueAt(new Date('2026-11-03T12:00:00Z'), calendar, 7)).toBe('2026-10'); // catch-up
    expect(monthDueAt(new Date('2026-11-30T23:00:00Z'), calendar, 7)).toBe('2026-10');
    // 1 January 2027 is a Friday and a holiday, then a weekend: from Monday the 4th, December 2026 is due.
    expect(monthDueAt(new Date('2027-01-01T12:00:00Z'), calendar, 7)).toBeNull();
    expect(monthDueAt(new Date('2027-01-04T12:00:00Z'), calendar, 7)).toBe('2026-12');
    expect(monthDueAt(new Date('2027-01-05T12:00:00Z'), calendar, 7)).toBe('2026-12');
  });

  it('the tick runs a due month not done, records it, and never runs it again', async () => {
    const ledger = new ScheduleLedger(db);
    expect(await reportScheduleTick({ ...deps, calendar, ledger }, () => new Date('2026-11-01T12:00:00Z'))).toBeNull();
    const summary = await reportScheduleTick({ ...deps, calendar, ledger }, () => new Date('2026-11-03T12:00:00Z'));
    expect(summary).toMatchObject({ month: '2026-10', generated: 2, failed: 0 });
    expect(ledger.periods(REPORTS_JOB)).toEqual(['2026-10']);
    expect(await reportScheduleTick({ ...deps, calendar, ledger }, () => new Date('2026-11-04T12:00:00Z'))).toBeNull();
  });
});

describe('commands', () => {
  it('generate, run and list print what a person needs', async () => {
    const gen = await reportGenerateCommand({ customer: 'nandu', month: '2026-10' }, deps);
    expect(gen.text).toContain('report nandu 2026-10: 17 events, 5 threats (2 unresolved)');
    const run = await reportRunCommand({ month: '2026-10' }, deps);
    expect(run.exitCode).toBe(0);
    expect(run.text).toContain('generated 1, already archived 1, failed 0, mails handed to the outbox 3');
    const list = reportListCommand({ dataDir: deps.dataDir });
    expect(list.text.split('\n')[0]).toMatch(/^CUSTOMER\s+MONTH\s+VERSION\s+SIZE\s+PATH$/);
    expect(list.reports.map((r) => r.customerId)).toEqual(['nandu', 'zeta']);
    expect(JSON.parse(reportListCommand({ dataDir: deps.dataDir, json: true }).text)).toHaveLength(2);
    await expect(reportRunCommand({ month: '2026-1' }, deps)).rejects.toThrow(/YYYY-MM/);
  });
});
