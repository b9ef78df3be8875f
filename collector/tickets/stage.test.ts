import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../../config/calendar.js';
import { resolvePlans } from '../../config/plans.js';
import { fixedClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { escalationConfigSchema } from '../escalation/config.js';
import { NotificationOutbox } from '../notify/outbox.js';
import { getTemplate } from '../notify/template.js';
import { openDatabase, type Db } from '../store/db.js';
import { parseTicketsConfig } from './config.js';
import { createTicketStage } from './stage.js';
import { MemoryRegistry, sampleCustomer, storedEvent } from './testkit.js';

const dbs: Db[] = [];
afterEach(() => { for (const db of dbs.splice(0)) db.close(); });

function build(tickets: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'stage-'));
  const db = openDatabase(join(dir, 'c.db'));
  dbs.push(db);
  const clock = fixedClock('2026-03-16T10:00:00-03:00');
  const registry = new MemoryRegistry();
  registry.customers.set('acme', sampleCustomer('acme'));
  const logger = silentLogger();
  return { dir, ...createTicketStage({
    db, clock, registry, plans: resolvePlans(), calendar: createBusinessCalendar({}), logger,
    queue: new NotificationOutbox({ db, clock, logger }), onDuty: [],
    tickets: parseTicketsConfig(tickets), escalation: escalationConfigSchema.parse({ accountManagers: { acme: { name: 'C', email: 'c@x.example' } } }),
  }), clock };
}

describe('createTicketStage', () => {
  it('builds a working stage on a fresh file with the default rules and registers the templates', async () => {
    const stage = build({ language: 'en' });
    const r = stage.service.handleEvent(storedEvent(), stage.clock());
    expect(r.ticket?.title).toMatch(/^Threat incident: /);
    expect(getTemplate('tickets/opened').id).toBe('tickets/opened');
    stage.scheduler.start();
    await stage.scheduler.stop();
  });

  it('uses the configured rules file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, 'rules:\n  - name: everything-sev4\n    outcome: severity-4\n');
    const stage = build({ rulesFile: file });
    expect(stage.rules.map((x) => x.name)).toEqual(['everything-sev4']);
    expect(stage.service.handleEvent(storedEvent(), stage.clock()).ticket?.caseKind).toBe('severity-4');
  });

  it('refuses unknown settings with their path', () => {
    expect(() => parseTicketsConfig({ langauge: 'en' })).toThrow(/tickets: Unrecognized key/);
    expect(() => parseTicketsConfig({ levels: { L2: [{ name: 'x', email: 'nope' }] } })).toThrow(/tickets\.levels\.L2\.0\.email/);
  });
});
