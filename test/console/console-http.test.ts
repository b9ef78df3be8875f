// The console over real HTTP without a browser: security headers, CSRF, roles, disabled users, escaping, the live
// queue's JSON, personal tokens. The browser-driven flow is in console-browser.test.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { eventually } from '../e2e/harness.js';
import { Client, postSyslog, ransomwareLine, startBench, type ConsoleBench } from './harness.js';

let bench: ConsoleBench;
let number: string;
beforeAll(async () => {
  bench = await startBench();
  await postSyslog(bench, ransomwareLine('<script>alert("x")</script>pc-07'));
  expect(await eventually(() => bench.collector.tickets.list({}).length === 1)).toBe(true);
  number = bench.collector.tickets.list({})[0]!.number;
}, 60_000);
afterAll(async () => { await bench.close(); });

describe('the console over HTTP', () => {
  it('answers nothing without a session, and logs in with the right password only', async () => {
    const c = new Client(bench.collector.url);
    const q = await c.req('GET', '/console/queue');
    expect(q.status).toBe(303);
    expect(q.headers.get('location')).toBe('/console/login');
    expect((await c.req('GET', '/console/api/queue')).status).toBe(401);
    expect(await c.login('lucia', 'not the password')).toBe(401);
    expect(await c.login('lucia')).toBe(303);
    const page = await c.req('GET', '/console/queue');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.text).toContain(number);
    expect(page.text).toMatch(/vence en \d+ min|vencido hace/);
  });

  it('shows a computer name with <script> as text, never as markup', async () => {
    const c = new Client(bench.collector.url);
    await c.login('lucia');
    const page = await c.req('GET', `/console/tickets/${number}`);
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;pc-07');
    expect(page.text).not.toContain('<script>alert');
    const live = await c.req('GET', '/console/api/queue');
    expect((JSON.parse(live.text) as { rows: string }).rows).not.toContain('<script>');
  });

  it('refuses a POST without the CSRF token, and accepts it with the token', async () => {
    const c = new Client(bench.collector.url);
    await c.login('marcos');
    expect((await c.req('POST', `/console/tickets/${number}/note`, { note: 'sin token' })).status).toBe(403);
    const page = await c.req('GET', `/console/tickets/${number}`);
    const ok = await c.req('POST', `/console/tickets/${number}/note`, { _csrf: Client.csrf(page.text), note: 'con token' });
    expect(ok.status).toBe(303);
    const notes = bench.collector.tickets.show(number).history.filter((h) => h.action === 'note');
    expect(notes.map((h) => `${h.actor}: ${h.note}`)).toEqual(['marcos: con token']);
  });

  it('gives a read-only user no buttons and refuses their POST', async () => {
    const c = new Client(bench.collector.url);
    await c.login('rita');
    const page = await c.req('GET', `/console/tickets/${number}`);
    expect(page.text).not.toContain('/ack"');
    const csrf = Client.csrf(page.text);
    expect(csrf).not.toBe('');
    expect((await c.req('POST', `/console/tickets/${number}/ack`, { _csrf: csrf })).status).toBe(403);
    expect(bench.collector.tickets.show(number).ticket.state).toBe('open');
  });

  it('keeps an L1 out of user administration and lets a lead in', async () => {
    const l1 = new Client(bench.collector.url);
    await l1.login('lucia');
    expect((await l1.req('GET', '/console/users')).status).toBe(403);
    const lead = new Client(bench.collector.url);
    await lead.login('ana');
    expect((await lead.req('GET', '/console/users')).text).toContain('Rita Solo Lectura');
  });

  it('ends a disabled user\'s open session at once', async () => {
    const c = new Client(bench.collector.url);
    await c.login('marcos');
    expect((await c.req('GET', '/console/queue')).status).toBe(200);
    const lead = new Client(bench.collector.url);
    await lead.login('ana');
    const users = await lead.req('GET', '/console/users');
    expect((await lead.req('POST', '/console/users/marcos/disable', { _csrf: Client.csrf(users.text) })).status).toBe(303);
    expect((await c.req('GET', '/console/queue')).status).toBe(303);
    expect((await c.req('GET', '/console/api/queue')).status).toBe(401);
    expect(bench.accounts.auditList().some((e) => e.actor === 'ana' && e.action === 'user.disable' && e.target === 'marcos')).toBe(true);
    bench.accounts.enable('marcos', 'test');
  });

  it('accepts a personal API token on the console API and /v1, and not a revoked one', async () => {
    const { token, info } = bench.accounts.createToken('lucia', 'script', 'lucia');
    const get = () => fetch(`${bench.collector.url}/console/api/queue`, { headers: { authorization: `Bearer ${token}` } });
    const v1 = () => fetch(`${bench.collector.url}/v1/tickets`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get()).status).toBe(200);
    expect((await v1()).status).toBe(200);
    bench.accounts.revokeToken(info.id, 'lucia');
    expect((await get()).status).toBe(401);
    expect((await v1()).status).toBe(401);
  });
});

describe('ticket actions beyond the lifecycle', () => {
  it('take, reply (mailed to the contact through the outbox), severity (due recomputed), resolve and reopen, each named', async () => {
    await postSyslog(bench, ransomwareLine('pc-tesoreria-01', 'Win32/Filecoder.Phobos.C'));
    expect(await eventually(() => bench.collector.tickets.list({ state: 'open' }).some((t) => t.title.includes('Phobos')), 30_000)).toBe(true);
    const tk = bench.collector.tickets.list({ state: 'open' }).find((t) => t.title.includes('Phobos'))!;
    const c = new Client(bench.collector.url);
    await c.login('ana');
    const csrf = Client.csrf((await c.req('GET', `/console/tickets/${tk.number}`)).text);
    const act = (a: string, form: Record<string, string> = {}) => c.req('POST', `/console/tickets/${tk.number}/${a}`, { _csrf: csrf, ...form });
    expect((await act('take')).status).toBe(303);
    expect((await act('reply', { subject: 'Aislamos el equipo', text: 'Desconectamos pc-tesoreria-01 de la red.' })).status).toBe(303);
    expect((await act('severity', { caseKind: 'severity-3' })).status).toBe(303);
    const after = bench.collector.tickets.show(tk.number).ticket;
    expect(after.caseKind).toBe('severity-3');
    expect(Date.parse(after.responseDueAt)).toBeGreaterThan(Date.parse(tk.responseDueAt));
    expect((await act('resolve', { note: 'limpio' })).status).toBe(303);
    expect((await act('reopen')).status).toBe(303);
    const d = bench.collector.tickets.show(tk.number);
    expect(d.ticket.state).toBe('acknowledged');
    expect(d.history.filter((h) => h.actor === 'ana').map((h) => h.action)).toEqual(['taken', 'replied', 'severity', 'resolved', 'reopened']);
    expect(await eventually(() => bench.sink.messages.some((m, i) => m.subject === `[${tk.number}] Aislamos el equipo`
      && bench.sink.envelopes[i]!.includes('carla@acme.example')), 30_000)).toBe(true);
    const page = await c.req('GET', `/console/tickets/${tk.number}`);
    expect(page.text).toContain('respuesta a contactos');
    expect(page.text).toContain('Ana Líder (ana)');
  }, 90_000);

  it('speaks English to an engineer who chose it, and takes actions by personal token as JSON', async () => {
    const c = new Client(bench.collector.url);
    await c.login('lucia');
    const q = await c.req('GET', '/console/queue');
    expect((await c.req('POST', '/console/language', { _csrf: Client.csrf(q.text), language: 'en' })).status).toBe(303);
    const en = await c.req('GET', '/console/queue');
    expect(en.text).toContain('Open tickets');
    expect(en.text).toMatch(/due in \d+|overdue by|answered/);
    bench.accounts.setLanguage('lucia', 'es', 'test');
    const open = bench.collector.tickets.list({ state: 'open' })[0]!;
    const { token } = bench.accounts.createToken('lucia', 'script', 'lucia');
    const res = await fetch(`${bench.collector.url}/console/tickets/${open.number}/take`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { assignee: string }).assignee).toBe('lucia');
  });
});

describe('the reports page', () => {
  it('a lead generates a month\'s report and downloads the archived PDF; an L1 may not generate', async () => {
    const l1 = new Client(bench.collector.url);
    await l1.login('lucia');
    const l1page = await l1.req('GET', '/console/reports');
    expect(l1page.text).not.toContain('name="month"');
    expect((await l1.req('POST', '/console/reports', { _csrf: Client.csrf(l1page.text), customer: 'acme', month: '2026-10' })).status).toBe(403);
    const c = new Client(bench.collector.url);
    await c.login('ana');
    const before = await c.req('GET', '/console/reports');
    expect((await c.req('POST', '/console/reports', { _csrf: Client.csrf(before.text), customer: 'acme', month: '2026-10' })).status).toBe(303);
    const list = await c.req('GET', '/console/reports');
    const href = /href="(\/console\/reports\/acme\/2026-10\.pdf)"/.exec(list.text)?.[1];
    expect(href).toBe('/console/reports/acme/2026-10.pdf');
    const pdf = await c.req('GET', href!);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.text.startsWith('%PDF-')).toBe(true);
    expect((await c.req('GET', '/console/reports/acme/..%2F..%2Fcollector.db')).status).toBe(404);
    // Resend: an L1 may not; the lead's resend archives a new version and mails the contact again.
    expect((await l1.req('POST', '/console/reports/resend', { _csrf: Client.csrf(l1page.text), customer: 'acme', month: '2026-10' })).status).toBe(403);
    expect(list.text).toContain('/console/reports/resend');
    expect((await c.req('POST', '/console/reports/resend', { _csrf: Client.csrf(list.text), customer: 'acme', month: '2026-10' })).status).toBe(303);
    expect((await c.req('GET', '/console/reports')).text).toContain('/console/reports/acme/2026-10.v2.pdf');
    expect(await eventually(() => bench.sink.messages.some((m, i) => /^Informe técnico mensual de .* — Acme SA$/.test(m.subject ?? '')
      && bench.sink.envelopes[i]!.includes('carla@acme.example')), 30_000)).toBe(true);
  }, 90_000);
});

describe('the customers page', () => {
  it('a lead adds a contact and enrols an agent (the token shown once, not stored); an L1 may not', async () => {
    const l1 = new Client(bench.collector.url);
    await l1.login('lucia');
    const l1page = await l1.req('GET', '/console/customers');
    expect(l1page.text).toContain('Acme SA');
    expect(l1page.text).not.toContain('/contacts"');
    expect((await l1.req('POST', '/console/customers/acme/agents', { _csrf: Client.csrf(l1page.text) })).status).toBe(403);
    const c = new Client(bench.collector.url);
    await c.login('ana');
    const csrf = Client.csrf((await c.req('GET', '/console/customers')).text);
    expect((await c.req('POST', '/console/customers/acme/contacts', { _csrf: csrf, name: 'Pablo Guardia', email: 'pablo@acme.example', phone: '+54 11 5555-0000', language: 'es' })).status).toBe(303);
    const enrolled = await c.req('POST', '/console/customers/acme/agents', { _csrf: csrf });
    const token = /<pre class="token">(xpr_[^<]+)<\/pre>/.exec(enrolled.text)?.[1];
    expect(token).toBeDefined();
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = readFileSync(join(bench.dir.path, 'collector', 'registry.json'), 'utf8');
    expect(file).toContain('pablo@acme.example');
    expect(file).not.toContain(token!);
    const beat = await fetch(`${bench.collector.url}/v1/heartbeats`, { method: 'POST', headers: { authorization: `Bearer ${token!}`, 'content-type': 'application/json' }, body: '{}' });
    expect(beat.status).toBe(400);
  }, 60_000);
});

describe('every page answers a read-only engineer', () => {
  it('agents, advisories, notifications, customers, reports and status render from the collector\'s data', async () => {
    const c = new Client(bench.collector.url);
    await c.login('rita');
    const texts: Record<string, string> = {};
    for (const p of ['agents', 'advisories', 'notifications', 'customers', 'reports', 'status']) {
      const r = await c.req('GET', `/console/${p}`);
      expect(r.status, p).toBe(200);
      texts[p] = r.text;
    }
    expect(texts.agents).toMatch(/acme-a1/);
    expect(texts.advisories).toContain('No hay avisos retenidos.');
    expect(texts.advisories).toContain('Últimos avisos enviados y a quién');
    expect(texts.status).toContain('Tickets abiertos');
    expect(texts.customers).toContain('carla@acme.example');
    expect(Object.values(texts).join('')).not.toMatch(/<form method="post" action="\/console\/(notifications|advisories|customers|reports)/);
  });
});
