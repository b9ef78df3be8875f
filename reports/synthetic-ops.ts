// Synthetic tickets, advisory deliveries and heartbeats for the example report and the tests. Rows go into the owners'
// tables as their migrations define them (tickets, advisories, the store's heartbeats); a missing table is skipped.
import { DateTime } from 'luxon';
import type { Db } from '../collector/store/db.js';
import { seededRandom } from './synthetic.js';

/** A ticket row as the tickets module stores it (the columns the report reads, plus the required ones). */
export interface SeedTicket {
  customerId: string;
  number: string;
  title: string;
  caseKind: 'threat-incident' | 'severity-1' | 'severity-2' | 'severity-3' | 'severity-4';
  openedAt: string;
  firstResponseAt: string | null;
  responseMet: boolean | null;
}

const hasTable = (db: Db, name: string): boolean =>
  (db.prepare('SELECT COUNT(*) FROM sqlite_master WHERE type = ? AND name = ?').pluck().get('table', name) as number) > 0;

/** Inserts tickets (needs the tickets migration). */
export function insertTickets(db: Db, tickets: SeedTicket[]): void {
  const stmt = db.prepare(`INSERT INTO tickets (id, number, customer_id, case_kind, rule, dedup_key, window_minutes,
    title, description, language, state, opened_at, response_due_at, first_response_at, response_met, updated_at,
    first_seen_at, last_seen_at) VALUES (@number, @number, @customerId, @caseKind, 'synthetic', @number, 60, @title,
    @title, 'es', 'closed', @openedAt, @openedAt, @firstResponseAt, @met, @openedAt, @openedAt, @openedAt)`);
  for (const t of tickets) {
    stmt.run({ ...t, met: t.responseMet === null ? null : t.responseMet ? 1 : 0 });
  }
}

/** Inserts advisories and, for each, a delivery to the customer when it went (at once: critical and high; else in
 *  the digest of its date), as collector/advisories writes them (needs the advisories migrations). */
export function insertRelayedAdvisories(db: Db, customerId: string,
  items: { id: string; title: string; vendor: string; risk: string; sentAt: string }[]): void {
  const adv = db.prepare(`INSERT OR IGNORE INTO advisories (id, source, identity, title_key, vendor, kind, risk,
    risk_source, title, summary, products, state, first_seen, relayed_at, pass_id, digest_date) VALUES (@id, 'synthetic',
    @id, @id, @vendor, 'threat', @risk, 'vendor', @title, @title, '[]', 'relayed', @sentAt, @sentAt, @passId, @digestDate)`);
  // A digest date's advisories share the customer's one delivery of that date.
  const delivery = db.prepare(`INSERT INTO advisory_deliveries (kind, batch, customer_id, advisory_ids, recipients,
    created_at) VALUES (@kind, @batch, @customerId, json_array(@id), @recipients, @sentAt)
    ON CONFLICT (kind, batch, customer_id) DO UPDATE SET advisory_ids = json_insert(advisory_ids, '$[#]', @id)`);
  for (const i of items) {
    const atOnce = i.risk === 'critical' || i.risk === 'high';
    const passId = `pass-${i.id}`;
    const digestDate = atOnce ? null : i.sentAt.slice(0, 10);
    adv.run({ ...i, passId, digestDate });
    delivery.run({ ...i, customerId, kind: atOnce ? 'pass' : 'digest', batch: atOnce ? passId : digestDate, recipients: JSON.stringify([{ contactId: 'c1', email: 'c1@example.com', language: 'es',
        messageId: `msg-${i.id}`, vendors: [i.vendor], items: 1 }]) });
  }
}

/** Heartbeats of one agent (store/002-heartbeats), one a minute over [from, to) except the minutes `down` says. */
export function insertHeartbeats(db: Db, agentId: string, customerId: string, from: string, to: string,
  down: (minuteIndex: number) => boolean = () => false): void {
  const stmt = db.prepare(`INSERT INTO heartbeats (agent_id, customer_id, received_at, body) VALUES (?, ?, ?, '{}')`);
  const start = Date.parse(from);
  const end = Date.parse(to);
  db.transaction(() => {
    for (let t = start, i = 0; t < end; t += 60_000, i++) {
      if (!down(i)) stmt.run(agentId, customerId, new Date(t + 7_000).toISOString());
    }
  })();
}

const SUBJECTS = ['Detección de Win32/Emotet en varios equipos', 'Consola sin sincronizar políticas',
  'Consulta de licenciamiento', 'Equipo con firmas desactualizadas', 'Amenaza no eliminada en servidor de archivos',
  'Error de actualización del agente', 'Solicitud de excepción de escaneo'];

/** A month of tickets, advisories and heartbeats for one customer, skipping tables that do not exist. */
export function seedOperations(db: Db, opts: { customerId: string; month: string; zone: string; seed: number }): void {
  const rnd = seededRandom(opts.seed);
  const start = DateTime.fromISO(`${opts.month}-01T09:00`, { zone: opts.zone });
  if (hasTable(db, 'tickets')) {
    const kinds: SeedTicket['caseKind'][] = ['threat-incident', 'severity-2', 'severity-4', 'severity-3',
      'threat-incident', 'severity-2', 'severity-4'];
    insertTickets(db, kinds.map((caseKind, i) => {
      const opened = start.plus({ days: 2 + i * 4, minutes: Math.floor(rnd() * 300) });
      const minutes = Math.floor(10 + rnd() * (i === 4 ? 90 : 40));
      return { customerId: opts.customerId, number: `XR-${opened.year}-${String(opened.month * 100 + i).padStart(6, '0')}`,
        title: SUBJECTS[i] ?? 'Caso', caseKind, openedAt: opened.toUTC().toISO() ?? '',
        firstResponseAt: opened.plus({ minutes }).toUTC().toISO(), responseMet: i !== 4 };
    }));
  }
  if (hasTable(db, 'advisory_deliveries') && hasTable(db, 'advisories')) {
    insertRelayedAdvisories(db, opts.customerId, [
      { id: `${opts.month}-adv-1`, title: 'ESET: vulnerabilidad de escalamiento de privilegios en ESET Management Agent',
        vendor: 'eset', risk: 'high', sentAt: start.plus({ days: 6 }).toUTC().toISO() ?? '' },
      { id: `${opts.month}-adv-2`, title: 'Symantec Endpoint Protection 14.3 RU10: actualización de seguridad', vendor: 'symantec',
        risk: 'medium', sentAt: start.plus({ days: 15 }).toUTC().toISO() ?? '' },
      { id: `${opts.month}-adv-3`, title: 'Campaña de phishing con adjuntos HTML dirigida a Argentina', vendor: 'eset',
        risk: 'low', sentAt: start.plus({ days: 23 }).toUTC().toISO() ?? '' },
    ]);
  }
  if (!hasTable(db, 'heartbeats')) return;
  const monthStart = DateTime.fromISO(`${opts.month}-01`, { zone: opts.zone });
  // About 99.6 % of minutes: one 3-hour outage on the 12th.
  insertHeartbeats(db, 'agent-1', opts.customerId, monthStart.toUTC().toISO() ?? '',
    monthStart.plus({ months: 1 }).toUTC().toISO() ?? '', (i) => i >= 11 * 1440 + 600 && i < 11 * 1440 + 780);
}
