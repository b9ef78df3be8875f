// Who a change over the operator API (/v1/…) is recorded as, over real HTTP against a real collector (SQLite files,
// the console bench's users): a personal token (`xpu_…`, made by the accounts store) acts as its owner, in the ticket's
// history and in the audit log, and a body naming someone else is refused; a role without the permission is refused;
// the shared admin token (the `service` account) still names its actor in the body, and must.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../e2e/harness.js';
import { postSyslog, ransomwareLine, startBench, type ConsoleBench } from '../console/harness.js';

let bench: ConsoleBench;
let adminToken: string;
const tokens: Record<string, string> = {};

async function api(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${bench.collector.url}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

// Each ticket with its own threat: storm control would fold a second computer with the same threat into an incident.
async function newTicket(computer: string): Promise<string> {
  const numbers = () => bench.collector.tickets.list({}).map((t) => t.number);
  const before = new Set(numbers());
  await postSyslog(bench, ransomwareLine(computer, `Win32/Filecoder.${computer}`));
  expect(await eventually(() => numbers().length === before.size + 1)).toBe(true);
  return numbers().find((n) => !before.has(n))!;
}

const auditOf = (target: string) => bench.accounts.auditList(500).filter((a) => a.target === target).map((a) => `${a.actor} ${a.action}${a.detail ? ` (${a.detail})` : ''}`);

beforeAll(async () => {
  bench = await startBench();
  adminToken = readFileSync(join(bench.dir.path, 'collector', 'admin.token'), 'utf8').trim();
  for (const login of ['lucia', 'rita', 'ana']) tokens[login] = bench.accounts.createToken(login, 'script', 'test').token;
}, 60_000);
afterAll(async () => { await bench?.close(); });

describe('ticket actions over /v1 are recorded as the token\'s owner', () => {
  it('records a personal token\'s ack and escalation as its owner, and refuses a `by` naming someone else', async () => {
    const number = await newTicket('pc-api-01');
    const ack = await api(tokens.lucia!, 'POST', `/v1/tickets/${number}/ack`, { note: 'llamé al cliente' });
    expect(ack.status).toBe(200);
    const spoof = await api(tokens.lucia!, 'POST', `/v1/tickets/${number}/escalate`, { by: 'Juan', note: 'no fui yo' });
    expect(spoof.status).toBe(403);
    expect(spoof.json.message).toContain('lucia');
    const same = await api(tokens.lucia!, 'POST', `/v1/tickets/${number}/escalate`, { by: 'LUCIA', note: 'a L2' });
    expect(same.status).toBe(200);
    const history = bench.collector.tickets.show(number).history.filter((h) => h.action !== 'opened');
    expect(history.map((h) => `${h.actor} ${h.action}`)).toEqual(['lucia acknowledged', 'lucia escalated']);
    expect(auditOf(number)).toEqual(['lucia ticket.escalate', 'lucia ticket.ack']);
  });

  it('refuses a read-only user\'s token and a revoked token, and changes nothing', async () => {
    const number = await newTicket('pc-api-02');
    expect((await api(tokens.rita!, 'POST', `/v1/tickets/${number}/ack`, {})).status).toBe(403);
    // Reading is allowed to every role.
    expect((await api(tokens.rita!, 'GET', `/v1/tickets/${number}`)).status).toBe(200);
    const { token, info } = bench.accounts.createToken('lucia', 'old script', 'test');
    bench.accounts.revokeToken(info.id, 'test');
    expect((await api(token, 'POST', `/v1/tickets/${number}/ack`, {})).status).toBe(401);
    expect(bench.collector.tickets.show(number).ticket.state).toBe('open');
    expect(auditOf(number)).toEqual([]);
  });

  it('keeps the admin token as the service account: `by` is required and recorded, the audit line says service', async () => {
    const number = await newTicket('pc-api-03');
    const without = await api(adminToken, 'POST', `/v1/tickets/${number}/resolve`, { note: 'falso positivo' });
    expect(without.status).toBe(400);
    expect(without.json.message).toContain('by');
    expect((await api(adminToken, 'POST', `/v1/tickets/${number}/resolve`, { by: 'Guardia nocturna', note: 'falso positivo' })).status).toBe(200);
    const history = bench.collector.tickets.show(number).history.filter((h) => h.action !== 'opened');
    expect(history.map((h) => `${h.actor} ${h.action}`)).toEqual(['Guardia nocturna resolved']);
    expect(auditOf(number)).toEqual(['service ticket.resolve (as Guardia nocturna)']);
  });
});

describe('maintenance windows and silences over /v1', () => {
  const window = { customerId: 'acme', reason: 'actualización del servidor', schedule: { kind: 'once', from: '2030-01-01T00:00:00Z', to: '2030-01-01T02:00:00Z' } };

  it('records a lead\'s window as the lead, refuses another author and an L1, and audits the end', async () => {
    expect((await api(tokens.lucia!, 'POST', '/v1/maintenance', window)).status).toBe(403);
    expect((await api(tokens.ana!, 'POST', '/v1/maintenance', { ...window, author: 'Otro' })).status).toBe(403);
    const made = await api(tokens.ana!, 'POST', '/v1/maintenance', window);
    expect(made.status).toBe(201);
    expect(made.json.author).toBe('ana');
    const id = made.json.id as string;
    expect((await api(tokens.lucia!, 'POST', `/v1/maintenance/${id}/end`, {})).status).toBe(403);
    expect((await api(tokens.ana!, 'POST', `/v1/maintenance/${id}/end`, {})).json).toEqual({ ended: true });
    expect(auditOf(id)).toEqual(['ana maintenance.end', 'ana maintenance.add']);
  });

  it('takes the admin token\'s silence author from the body, and requires it', async () => {
    const silence = { matchers: { threat: 'EICAR' }, endsAt: new Date(Date.now() + 3_600_000).toISOString(), comment: 'prueba de EICAR' };
    expect((await api(adminToken, 'POST', '/v1/silences', silence)).status).toBe(400);
    const made = await api(adminToken, 'POST', '/v1/silences', { ...silence, author: 'Mesa de ayuda' });
    expect(made.status).toBe(201);
    expect(made.json.author).toBe('Mesa de ayuda');
    const byToken = await api(tokens.ana!, 'POST', '/v1/silences', silence);
    expect(byToken.json.author).toBe('ana');
    expect((await api(tokens.ana!, 'POST', `/v1/silences/${made.json.id as string}/expire`, {})).json).toEqual({ expired: true });
    expect(auditOf(made.json.id as string)).toEqual(['ana silence.expire', 'service silence.add (as Mesa de ayuda)']);
    expect(auditOf(byToken.json.id as string)).toEqual(['ana silence.add']);
  });
});
