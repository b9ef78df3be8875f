// The console's "Mantenimiento y silencios" page over real HTTP: the list, a one-off window and a silence created by
// an l2 engineer (attributed to their login, times read in the customer's zone), ending and expiring them, the CSRF
// refusal, l1 and read-only refused, English per user, and a window made here suppressing a real event.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DateTime } from 'luxon';
import { eventually } from '../e2e/harness.js';
import { noiseFor } from '../../collector/noise/context.js';
import { Client, PASSWORD, postSyslog, ransomwareLine, startBench, type ConsoleBench } from './harness.js';

let bench: ConsoleBench;
let zone: string;
const store = () => noiseFor(bench.collector.db).store;
const local = (d: DateTime) => d.setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm");

async function as(login: string): Promise<{ c: Client; csrf: string; text: string }> {
  const c = new Client(bench.collector.url);
  expect(await c.login(login)).toBe(303);
  const page = await c.req('GET', '/console/maintenance');
  expect(page.status).toBe(200);
  return { c, csrf: Client.csrf(page.text), text: page.text };
}

beforeAll(async () => {
  bench = await startBench();
  if (!bench.accounts.get('leo')) await bench.accounts.addUser({ login: 'leo', name: 'Leo Segundo', email: 'leo@cas.example', role: 'l2', password: PASSWORD }, 'test');
  zone = bench.collector.registry.getCustomer('acme')!.timezone;
}, 60_000);
afterAll(async () => { await bench.close(); });

describe('the maintenance and silences page', () => {
  it('is linked from the navigation and lets l1 and read-only view it without forms, refusing their POSTs', async () => {
    for (const login of ['lucia', 'rita']) {
      const { c, csrf, text } = await as(login);
      expect(text).toContain('<a href="/console/maintenance" aria-current="page">Mantenimiento y silencios</a>');
      expect(text).not.toContain('action="/console/maintenance"');
      const now = DateTime.now();
      const res = await c.req('POST', '/console/maintenance', { _csrf: csrf, customer: 'acme', from: local(now), to: local(now.plus({ hours: 1 })), reason: 'no' });
      expect(res.status).toBe(403);
      expect(res.text).toContain('Su rol no permite esta acción.');
    }
    expect(store().windows({ all: true })).toEqual([]);
  });

  it('refuses an l2 POST without the CSRF token', async () => {
    const { c } = await as('leo');
    const res = await c.req('POST', '/console/silences', { customer: 'acme', threat: 'X', endsAt: local(DateTime.now().plus({ hours: 1 })), comment: 'sin token' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('El formulario venció');
    expect(store().silences(new Date(), 24)).toEqual([]);
  });

  it('creates a one-off window for a computer, attributed to the engineer, in the customer zone; a real event in it is suppressed', async () => {
    const { c, csrf } = await as('leo');
    const from = DateTime.now().minus({ minutes: 30 }).startOf('minute');
    const to = from.plus({ hours: 3 });
    const res = await c.req('POST', '/console/maintenance', { _csrf: csrf, customer: 'acme', agent: '', computer: 'pc-mant',
      from: local(from), to: local(to), reason: 'Actualización <b>ESET</b>' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/maintenance?done=M-1');
    const w = store().window('M-1')!;
    expect([w.author, w.customerId, w.computer, w.agentId]).toEqual(['leo', 'acme', 'pc-mant', null]);
    expect(w.schedule).toEqual({ kind: 'once', from: from.toUTC().toISO({ suppressMilliseconds: true }), to: to.toUTC().toISO({ suppressMilliseconds: true }) });
    const page = await c.req('GET', '/console/maintenance?done=M-1');
    expect(page.text).toContain('Listo: M-1.');
    expect(page.text).toContain('Actualización &lt;b&gt;ESET&lt;/b&gt;');
    expect(page.text).toContain(`${from.setZone(zone).toFormat('yyyy-MM-dd HH:mm')} (${from.setZone(zone).toFormat('ZZ')})`);
    expect(page.text).toContain('equipo pc-mant');
    expect(page.text).toContain('abierta ahora');
    await postSyslog(bench, ransomwareLine('pc-mant'));
    expect(await eventually(() => bench.collector.db
      .prepare("SELECT COUNT(*) FROM event_suppressions WHERE ref = 'M-1'").pluck().get() === 1)).toBe(true);
    expect(bench.collector.tickets.list({})).toEqual([]);
  });

  it('creates a silence with matchers, end and comment; refuses one past the maximum', async () => {
    const { c, csrf } = await as('ana');
    const end = DateTime.now().plus({ hours: 2 }).startOf('minute');
    const res = await c.req('POST', '/console/silences', { _csrf: csrf, customer: 'acme', vendor: 'eset', eventType: '', threat: 'Win32/Test.A',
      endsAt: local(end), comment: 'Falso positivo conocido' });
    expect(res.status).toBe(303);
    const s = store().silence('S-1')!;
    expect([s.author, s.comment, s.endsAt]).toEqual(['ana', 'Falso positivo conocido', end.toUTC().toISO()]);
    expect(s.matchers).toEqual({ customer: 'acme', vendor: 'eset', threat: 'Win32/Test.A' });
    const tooLong = await c.req('POST', '/console/silences', { _csrf: csrf, threat: 'Y', endsAt: local(DateTime.now().plus({ days: 30 })), comment: 'largo' });
    expect(tooLong.status).toBe(400);
    const page = await c.req('GET', '/console/maintenance');
    expect(page.text).toContain('customer=acme, vendor=eset, threat=Win32/Test.A');
    expect(page.text).toContain('action="/console/silences/S-1/expire"');
  });

  it('ends the window and expires the silence, which stay listed as ended; English per user', async () => {
    const { c, csrf } = await as('leo');
    expect((await c.req('POST', '/console/maintenance/M-1/end', { _csrf: csrf })).status).toBe(303);
    expect((await c.req('POST', '/console/silences/S-1/expire', { _csrf: csrf })).status).toBe(303);
    expect(store().window('M-1')!.endedAt).not.toBeNull();
    expect(store().silence('S-1')!.expiredAt).not.toBeNull();
    const page = await c.req('GET', '/console/maintenance');
    expect(page.text).toMatch(/terminada \d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(page.text).toMatch(/vencido \d{4}-\d\d-\d\d/);
    expect(page.text).not.toContain('/M-1/end"');
    expect(page.text).not.toContain('/S-1/expire"');
    expect((await c.req('POST', '/console/language', { _csrf: csrf, language: 'en' })).status).toBe(303);
    const en = await c.req('GET', '/console/maintenance');
    expect(en.text).toContain('<h1>Maintenance and silences</h1>');
    expect(en.text).toContain('Maintenance windows');
    expect(en.text).toMatch(/ended \d{4}-\d\d-\d\d/);
    const audit = bench.collector.db.prepare("SELECT actor, action, target FROM audit_log WHERE action LIKE 'maintenance.%' OR action LIKE 'silence.%' ORDER BY id").all();
    expect(audit).toEqual([{ actor: 'leo', action: 'maintenance.add', target: 'M-1' }, { actor: 'ana', action: 'silence.add', target: 'S-1' },
      { actor: 'leo', action: 'maintenance.end', target: 'M-1' }, { actor: 'leo', action: 'silence.expire', target: 'S-1' }]);
  });
  it('creates a recurring window in the CLI\'s words (weekly, monthly) and refuses one it cannot read', async () => {
    const { c, csrf } = await as('leo');
    const weekly = await c.req('POST', '/console/maintenance', { _csrf: csrf, customer: 'acme', agent: '', computer: '', from: '', to: '',
      recurring: 'weekly sat 22:00-02:00', reason: 'Reinicio semanal' });
    expect(weekly.status).toBe(303);
    const monthly = await c.req('POST', '/console/maintenance', { _csrf: csrf, customer: 'acme', agent: '', computer: '', from: '', to: '',
      recurring: 'monthly first-sun 06:00-10:00', reason: 'Parches' });
    expect(monthly.status).toBe(303);
    const byReason = (r: string) => store().windows({ all: true }).find((w) => w.reason === r)!;
    expect(byReason('Reinicio semanal').schedule).toEqual({ kind: 'weekly', days: [6], from: '22:00', to: '02:00' });
    expect(byReason('Parches').schedule).toEqual({ kind: 'monthly', nth: 1, weekday: 7, from: '06:00', to: '10:00' });
    const before = store().windows({ all: true }).length;
    const bad = await c.req('POST', '/console/maintenance', { _csrf: csrf, customer: 'acme', recurring: 'weekly someday', reason: 'x' });
    expect(bad.status).toBe(400);
    expect(store().windows({ all: true })).toHaveLength(before);
  });
});
