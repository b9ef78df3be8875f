// Every listing an operator or the console can ask for is served by an index (issue 20). A real collector (the
// console bench: SQLite file, HTTP, the pipeline) is fed a little of everything; then each listing is asked for the
// way a person asks: `event list` with and without --customer, `ticket list`, `notification list`, `advisory list`
// (the CLI's own functions on the collector's services), GET /v1/events (with and without ?customer), /v1/agents,
// /v1/tickets, the agent-silence check, and every console page that lists something. Every SQL statement the
// product ran for them is captured as prepared (better-sqlite3's prepare, with the values it was run with) and put
// through EXPLAIN QUERY PLAN: a full scan of a table that grows with time fails the test, naming the statement.
// A "SCAN t USING INDEX i" is an ordered walk of an index; it passes only in a statement with a LIMIT (it stops
// after the page), as the newest-first listings are served.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, postSyslog, ransomwareLine, startBench, type ConsoleBench } from '../console/harness.js';
import { eventually } from '../e2e/harness.js';
import { SqliteEventRepository } from '../../collector/store/store.js';
import { NoiseStore } from '../../collector/noise/store.js';
import { ticketList } from '../../collector/tickets/index.js';
import { checkAgentSilence } from '../../collector/escalation/agent-silence.js';
import { listNotifications } from '../../collector/notify/commands.js';
import { listAdvisoriesCommand } from '../../collector/advisories/commands.js';
import { silentLogger } from '../../lib/logger.js';

/** Tables that grow with time (events, heartbeats, tickets, mail, audit): never read whole for a listing. */
const GROWING = new Set(['advisories', 'advisory_deliveries', 'advisory_keys', 'audit_log', 'case_attachments', 'case_comments',
  'case_messages', 'envelopes', 'event_suppressions', 'events', 'heartbeat_days', 'heartbeats', 'imap_seen', 'mail_in',
  'mail_in_attachments', 'notify_outbox', 'storm_members', 'ticket_computers', 'ticket_events', 'ticket_history', 'tickets']);

interface Ran { sql: string; args: unknown[] }
const ran = new Map<string, Ran>();
let capturing = false;
const proto = Database.prototype as unknown as { prepare(this: Database.Database, sql: string): Database.Statement };
const realPrepare = proto.prepare;

// Wraps a statement so that what runs it is recorded (the SQL and its values) while capturing.
function recorded(stmt: Database.Statement, sql: string): Database.Statement {
  const proxy: Database.Statement = new Proxy(stmt, {
    get(target, prop) {
      const value = (target as unknown as Record<string | symbol, unknown>)[prop];
      if (typeof value !== 'function') return value;
      if (prop === 'all' || prop === 'get' || prop === 'iterate' || prop === 'run') {
        return (...args: unknown[]) => {
          if (capturing && !ran.has(sql)) ran.set(sql, { sql, args });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (prop === 'pluck' || prop === 'raw' || prop === 'expand' || prop === 'safeIntegers' || prop === 'bind') {
        return (...args: unknown[]) => { (value as (...a: unknown[]) => unknown).apply(target, args); return proxy; };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return proxy;
}

let bench: ConsoleBench;
let adminToken: string;

beforeAll(async () => {
  proto.prepare = function prepare(this: Database.Database, sql: string) { return recorded(realPrepare.call(this, sql), sql); };
  bench = await startBench();
  adminToken = readFileSync(join(bench.dir.path, 'collector', 'admin.token'), 'utf8').trim();
  // A little of everything: tickets and their mails through the pipeline, heartbeats through the store.
  for (const pc of ['pc-qp-1', 'pc-qp-2', 'pc-qp-3']) await postSyslog(bench, ransomwareLine(pc, `Win32/Filecoder.${pc}`));
  expect(await eventually(() => bench.collector.tickets.list({}).length >= 3)).toBe(true);
}, 120_000);
afterAll(async () => { proto.prepare = realPrepare; await bench?.close(); });

async function v1(path: string): Promise<number> {
  return (await fetch(`${bench.collector.url}${path}`, { headers: { authorization: `Bearer ${adminToken}` } })).status;
}

/** The plan's lines that read a growing table whole; empty when every read goes through an index. A scan in a
 *  statement with a LIMIT whose plan sorts nothing (no temporary B-tree) walks the table or an index in the order
 *  asked and stops at the LIMIT: that is how the newest-first pages are served, and it passes. */
function fullScans(db: Database.Database, r: Ran): string[] {
  const plan = (realPrepare.call(db, `EXPLAIN QUERY PLAN ${r.sql}`).all(...r.args) as { detail: string }[]).map((p) => p.detail);
  const orderedWalk = /\bLIMIT\b/i.test(r.sql) && !plan.some((d) => d.startsWith('USE TEMP B-TREE'));
  return plan.filter((d) => {
    const m = /^SCAN (\w+)/.exec(d);
    return m !== null && GROWING.has(m[1]!) && !orderedWalk;
  });
}

/** Statements allowed a scan, each with its reason. */
const ALLOWED: Record<string, string> = {
  // The notifications page's count per state: an aggregate over the outbox's covering index, whose sent rows leave
  // after retention.notificationsDays (30): bounded by a month of mail, not by the store's age.
  'SELECT state, COUNT(*) AS n FROM notify_outbox GROUP BY state': 'a month of mail, counted on a covering index',
};

describe('every listing is served by an index', () => {
  it('EXPLAIN QUERY PLAN of every statement the listings ran: no full scan of a growing table', async () => {
    const c = bench.collector;
    const db = c.db as unknown as Database.Database;
    const repo = new SqliteEventRepository(c.db);
    const customer = 'acme';
    repo.recordHeartbeat('ag-qp', customer, { protocol: 1, agentVersion: '1.0.0', sentAt: new Date().toISOString(), hostname: 'srv',
      outbox: { depth: 0, oldestAgeSeconds: null, deadLettered: 0, refusing: false }, receivers: [] } as never, new Date().toISOString());
    const console = new Client(c.url);
    expect(await console.login('ana')).toBe(303);
    const number = c.tickets.list({})[0]!.number;

    capturing = true;
    // `event list` with and without --customer (bin/commands/runtime.ts: listEvents, then the suppressions of the page).
    for (const filter of [{}, { customerId: customer }, { customerId: customer, eventType: 'ransomware' }, { since: '2026-01-01T00:00:00Z' }]) {
      const listed = repo.listEvents({ ...filter, limit: 50 });
      new NoiseStore(c.db).suppressionsOf(listed.map((e) => e.id));
    }
    // The operator API.
    for (const path of ['/v1/events', `/v1/events?customer=${customer}`, '/v1/events?since=2026-01-01T00:00:00Z', '/v1/agents',
      '/v1/tickets', `/v1/tickets?customer=${customer}`, '/v1/tickets?state=all', '/v1/maintenance', '/v1/silences']) {
      expect(await v1(path), path).toBeLessThan(500);
    }
    // `ticket list` in its forms, and the agent-silence check.
    for (const o of [{}, { state: 'all' }, { customer }, { level: 'L2' }, { state: 'closed', customer }]) ticketList(c.tickets, { limit: 50, ...o });
    for (const state of ['all', 'pending', 'sent', 'dead'] as const) listNotifications(c.outbox, { state, limit: 50 });
    for (const o of [{}, { state: 'held' }, { risk: 'critical' }, { vendor: 'eset' }]) listAdvisoriesCommand(c.advisories, o);
    checkAgentSilence({ service: c.tickets, registry: c.registry, logger: silentLogger(),
      config: { enabled: true, afterMinutes: 5, caseKind: 'severity-2', autoResolve: true }, lastHeartbeats: () => repo.lastHeartbeats() } as never, new Date());
    // Every console page that lists something.
    for (const page of ['/console/queue', '/console/api/queue', `/console/tickets/${number}`, '/console/advisories', '/console/notifications',
      '/console/customers', `/console/customers/${customer}`, '/console/cases', '/console/maintenance', '/console/silences', '/console/mail',
      '/console/reports', '/console/users']) {
      expect((await console.req('GET', page)).status, page).toBeLessThan(500);
    }
    capturing = false;

    const reads = [...ran.values()].filter((r) => /^\s*(SELECT|WITH)\b/i.test(r.sql));
    expect(reads.length).toBeGreaterThan(20);
    // The listings this test is about were among them.
    const sqls = reads.map((r) => r.sql).join('\n');
    for (const table of ['events', 'agent_last_heartbeat', 'tickets', 'notify_outbox', 'advisories']) expect(sqls).toContain(table);
    const offenders = reads.map((r) => ({ sql: r.sql.replace(/\s+/g, ' ').slice(0, 300), scans: fullScans(db, r) })).filter((o) => o.scans.length > 0 && !(o.sql in ALLOWED));
    expect(offenders).toEqual([]);
  }, 120_000);
});
