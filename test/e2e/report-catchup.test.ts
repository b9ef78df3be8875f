// Issue 20, item 4: a collector stopped from 06:50 to 07:30 on the first working day of a month (the reports' minute
// is 07:00) generates and mails that month's reports once after it starts; started again the same day, still once.
// Real collector, real SMTP sink, real files; only the clock is injected.
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startCollector } from '../../bin/runtime/collector.js';
import { Registry } from '../../collector/registry/index.js';
import { resolvePlans } from '../../config/plans.js';
import { createBusinessCalendar } from '../../config/calendar.js';
import { archivedVersions } from '../../reports/archive.js';
import { silentLogger } from '../../lib/logger.js';
import { startSmtpSink } from '../notify/smtp-sink.js';
import { collectorConfigFor, enrollAcme, eventually, tempDir } from './harness.js';

const dir = tempDir('xpears-report-catchup-');
afterAll(() => dir.cleanup());

describe('monthly reports catch up', () => {
  it('a collector down at 07:00 on the first working day mails the month once after it starts, and once only', { timeout: 120_000 }, async () => {
    const calendar = createBusinessCalendar({});
    expect(calendar.firstWorkingDayOfMonth(2026, 12)).toBe('2026-12-01');
    const local = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00-03:00`); // Buenos Aires, the calendar's zone
    expect(calendar.zone).toMatch(/Buenos_Aires/);
    const dataDir = join(dir.path, 'collector');
    await enrollAcme(dataDir);
    const registry = await Registry.open(join(dataDir, 'registry.json'), resolvePlans());
    await registry.addContact('acme', { name: 'Ana Gómez', email: 'ana@acme.example', language: 'es', products: ['ESET PROTECT Entry'] });
    const sink = await startSmtpSink();
    let now = local('06:40');
    const config = collectorConfigFor(dataDir, 0, { reports: { enabled: true, hour: 7 }, notify: {
      smtp: { host: '127.0.0.1', port: sink.port, starttls: 'never', pool: false }, from: { address: 'cas@xpears.example' }, dispatch: { intervalMs: 200 },
    } });
    const run = async (at: string, whileUp: () => Promise<void> = async () => undefined) => {
      now = local(at);
      const c = await startCollector(config, { logger: silentLogger(), clock: () => now });
      await whileUp();
      await c.stop(); // waits for the schedule's tick under way
    };
    try {
      await run('06:40'); // up before the minute, stopped at 06:50: nothing due yet
      expect(archivedVersions(dataDir, 'acme', '2026-11')).toEqual([]);
      await run('07:30', async () => { expect(await eventually(() => sink.messages.length >= 1, 60_000)).toBe(true); });
      await run('09:00');
      await run('23:59');
      expect(sink.messages.map((m) => m.to && !Array.isArray(m.to) ? m.to.text : '')).toEqual(['ana@acme.example']);
      expect(sink.messages[0]!.subject).toMatch(/2026|noviembre/i);
      expect(archivedVersions(dataDir, 'acme', '2026-11')).toHaveLength(1);
      const db = new Database(join(dataDir, 'collector.db'), { readonly: true });
      expect(db.prepare("SELECT period FROM schedule_runs WHERE job = 'reports.monthly'").pluck().all()).toEqual(['2026-11']);
      db.close();
    } finally {
      await sink.close();
    }
  });
});
