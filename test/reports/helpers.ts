// Shared fixtures of the report tests: a real SQLite store with the owners' migrations, two customers with
// distinctive names, the hand-computed "golden" month, and PDF read-back through poppler-utils.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase, type Db } from '../../collector/store/db.js';
import { storeMigrations } from '../../collector/store/migrations.js';
import { COLLECTOR_MIGRATIONS } from '../../collector/migrations.js';
import type { AgentRecord, Customer } from '../../collector/registry/types.js';
import { insertEvents, type SeedEvent } from '../../reports/synthetic.js';
import { insertHeartbeats, insertRelayedAdvisories, insertTickets } from '../../reports/synthetic-ops.js';

/** Where tests leave PDFs and PNGs for a person to look at (gitignored). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'reports');

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'xpears-reports-'));
}

/** A store file with the collector's migrations (collector/migrations.ts), or the events' alone. */
export function openStore(dir: string, opts: { operations?: boolean } = {}): Db {
  const db = openDatabase(join(dir, 'collector.db'));
  migrate(db, opts.operations === false ? storeMigrations : COLLECTOR_MIGRATIONS);
  return db;
}

/** The golden customer: accents and an eñe in its name, so the embedded font is exercised. */
export const GOLDEN: Customer = {
  id: 'nandu', name: 'Distribuidora Ñandú S.R.L.', plan: 'managed', timezone: 'America/Argentina/Buenos_Aires',
  language: 'es', advisoryDelivery: 'digest', createdAt: '2025-01-01T00:00:00.000Z',
  products: [
    { vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2026-12-15' },
    { vendor: 'eset', product: 'ESET Mail Security', maintenanceExpires: '2026-10-20' },
    { vendor: 'symantec', product: 'Symantec Endpoint Protection', maintenanceExpires: '2027-03-01' },
  ],
  contacts: [
    { id: 'c1', name: 'Inés Peña', email: 'ines@nandu.example', language: 'es', products: ['ESET PROTECT Entry'] },
    { id: 'c2', name: 'John Smith', email: 'john@nandu.example', language: 'en', products: ['ESET PROTECT Entry'] },
  ],
};

/** The other customer: nothing of it may ever appear in the golden customer's report. */
export const OTHER: Customer = {
  id: 'zeta', name: 'Zeta Logística Austral', plan: 'premium', timezone: 'America/Argentina/Buenos_Aires',
  language: 'en', advisoryDelivery: 'digest', createdAt: '2025-01-01T00:00:00.000Z',
  products: [{ vendor: 'symantec', product: 'Zeta Special Edition', maintenanceExpires: '2026-11-30' }],
  contacts: [{ id: 'z1', name: 'Zoe Zeta', email: 'zoe@zeta.example', language: 'en', products: [] }],
};

/** A Basic customer: its plan has no monthly report. */
export const BASIC: Customer = { ...OTHER, id: 'basico', name: 'Básico Sin Informe', plan: 'basic',
  contacts: [{ id: 'b1', name: 'B', email: 'b@basico.example', language: 'es', products: [] }] };

/** The golden customer's agent: enrolled on the last day of October (AR), so the month has 1,440 due minutes. */
export const AGENTS: AgentRecord[] = [
  { id: 'ag-nandu', customerId: 'nandu', name: 'srv-nandu-01', tokenHash: 'x', enrolledAt: '2026-10-31T03:00:00.000Z' },
  { id: 'ag-zeta', customerId: 'zeta', name: 'srv-zeta-01', tokenHash: 'x', enrolledAt: '2025-01-01T00:00:00.000Z' },
];

/** Seeds the golden month (October 2026, Buenos Aires, UTC−3) and its noise; expected figures are in the tests. */
export function seedGolden(db: Db): void {
  const n = (e: Omit<SeedEvent, 'customerId'>): SeedEvent => ({ ...e, customerId: 'nandu' });
  insertEvents(db, [
    // October, local days in comments.
    n({ occurredAt: '2026-10-01T03:00:00Z', eventType: 'threat-detected', severity: 'high', computerName: 'PC-A',
      threatName: 'Win32/Alpha', action: 'cleaned', handled: true }), // day 1, 00:00
    n({ occurredAt: '2026-10-02T02:00:00Z', eventType: 'web-filtered', severity: 'low', computerName: 'PC-B',
      count: 3 }), // day 1, 23:00
    n({ occurredAt: '2026-10-10T15:00:00Z', eventType: 'outbreak', severity: 'critical', threatName: 'Win32/Alpha',
      count: 5, computersAffected: 4 }), // day 10
    n({ occurredAt: '2026-10-15T12:00:00Z', eventType: 'threat-not-cleaned', severity: 'high', computerName: 'PC-B',
      threatName: 'Win32/Beta', action: 'failed', handled: false, count: 2 }), // day 15
    n({ occurredAt: '2026-10-15T13:00:00Z', eventType: 'threat-detected', severity: 'medium', computerName: 'PC-A',
      threatName: 'Win32/Alpha', action: 'blocked', handled: true }), // day 15
    n({ occurredAt: '2026-10-20T10:00:00Z', eventType: 'definitions-outdated', severity: 'low', computerName: 'PC-C' }),
    n({ occurredAt: '2026-10-21T10:00:00Z', eventType: 'definitions-outdated', severity: 'low', computerName: 'PC-C' }),
    n({ occurredAt: '2026-10-22T10:00:00Z', eventType: 'client-not-connected', severity: 'info', computerName: 'PC-D' }),
    n({ occurredAt: '2026-10-31T23:30:00-03:00', eventType: 'threat-detected', severity: 'medium', computerName: 'PC-A',
      threatName: 'Win32/Alpha', action: 'quarantined', handled: true }), // day 31, = 2026-11-01T02:30Z
    n({ occurredAt: '2026-11-01T02:59:00Z', eventType: 'hips', severity: 'medium', computerName: 'PC-B' }), // day 31
    // September (the trend): the first is 23:59:59 on 30 September in Buenos Aires.
    n({ occurredAt: '2026-10-01T02:59:59Z', eventType: 'threat-detected', severity: 'high', computerName: 'PC-A',
      threatName: 'Win32/Alpha', action: 'cleaned', handled: true }),
    n({ occurredAt: '2026-09-10T12:00:00Z', eventType: 'firewall-attack', severity: 'high', computerName: 'PC-A' }),
    // November in Buenos Aires: not October.
    n({ occurredAt: '2026-11-01T03:00:00Z', eventType: 'threat-detected', severity: 'high', computerName: 'PC-A',
      threatName: 'Win32/Alpha', action: 'cleaned', handled: true }),
  ]);
  // The other customer, same month, same computers' names would be a leak: distinctive ones.
  insertEvents(db, [
    { customerId: 'zeta', occurredAt: '2026-10-05T12:00:00Z', eventType: 'threat-detected', severity: 'critical',
      computerName: 'ZETA-PC-99', threatName: 'Trojan.Zetaworm', action: 'failed', handled: false, count: 40 },
    { customerId: 'zeta', occurredAt: '2026-10-06T12:00:00Z', eventType: 'definitions-outdated', severity: 'low',
      computerName: 'ZETA-LAPTOP-7' },
  ]);
  insertTickets(db, [
    { customerId: 'nandu', number: 'XR-2026-000101', title: 'Alpha en PC-A', caseKind: 'threat-incident',
      openedAt: '2026-10-05T13:00:00.000Z', firstResponseAt: '2026-10-05T13:20:00.000Z', responseMet: true },
    { customerId: 'nandu', number: 'XR-2026-000102', title: 'Consola lenta', caseKind: 'severity-2',
      openedAt: '2026-10-06T14:00:00.000Z', firstResponseAt: '2026-10-06T18:00:00.000Z', responseMet: false },
    { customerId: 'nandu', number: 'XR-2026-000103', title: 'Política de exclusiones', caseKind: 'severity-3',
      openedAt: '2026-10-07T12:00:00.000Z', firstResponseAt: '2026-10-07T12:45:00.000Z', responseMet: true },
    { customerId: 'nandu', number: 'XR-2026-000104', title: 'Consulta de licencias', caseKind: 'severity-4',
      openedAt: '2026-10-30T15:00:00.000Z', firstResponseAt: null, responseMet: null },
    { customerId: 'nandu', number: 'XR-2026-000090', title: 'Caso de septiembre', caseKind: 'severity-3',
      openedAt: '2026-09-20T15:00:00.000Z', firstResponseAt: '2026-09-20T15:05:00.000Z', responseMet: true },
    { customerId: 'zeta', number: 'XR-2026-000105', title: 'Zeta secret case', caseKind: 'severity-1',
      openedAt: '2026-10-08T15:00:00.000Z', firstResponseAt: '2026-10-08T18:00:00.000Z', responseMet: false },
  ]);
  insertRelayedAdvisories(db, 'nandu', [
    { id: 'adv-a', title: 'Aviso Alfa', vendor: 'eset', risk: 'high', sentAt: '2026-10-08T12:00:00.000Z' },
    { id: 'adv-b', title: 'Aviso Beta', vendor: 'symantec', risk: 'low', sentAt: '2026-10-25T12:00:00.000Z' },
    { id: 'adv-c', title: 'Aviso de noviembre', vendor: 'eset', risk: 'low', sentAt: '2026-11-02T12:00:00.000Z' },
  ]);
  // adv-a reached a second contact too, and is listed again in a later bundle: still one advisory relayed.
  db.prepare(`UPDATE advisory_deliveries SET recipients = json_insert(recipients, '$[#]', json(?)) WHERE batch = 'pass-adv-a'`)
    .run(JSON.stringify({ contactId: 'c2', email: 'x@y', language: 'en', messageId: 'msg-2', vendors: ['eset'], items: 1 }));
  db.prepare(`INSERT INTO advisory_deliveries (kind, batch, customer_id, advisory_ids, recipients, created_at)
    VALUES ('pass', 'pass-later', 'nandu', '["adv-a"]', '[]', '2026-10-20T12:00:00.000Z')`).run();
  // As the relay really leaves them: a critical one is delivered at once; a low one whose digest has not been made
  // yet has its digest date but no delivery, and is not relayed yet.
  insertRelayedAdvisories(db, 'nandu', [
    { id: 'adv-q', title: 'Aviso Crítico', vendor: 'eset', risk: 'critical', sentAt: '2026-10-15T12:00:00.000Z' },
    { id: 'adv-p', title: 'Aviso pendiente', vendor: 'eset', risk: 'low', sentAt: '2026-10-30T12:00:00.000Z' },
  ]);
  db.prepare("DELETE FROM advisory_deliveries WHERE kind = 'digest' AND batch = '2026-10-30'").run();
  insertRelayedAdvisories(db, 'zeta', [
    { id: 'adv-z', title: 'Zeta-only advisory', vendor: 'eset', risk: 'high', sentAt: '2026-10-09T12:00:00.000Z' },
  ]);
  // Two heartbeats a minute for the first 1,080 minutes of 31 October (AR), nothing after: 75 % of the due minutes.
  insertHeartbeats(db, 'ag-nandu', 'nandu', '2026-10-31T03:00:00.000Z', '2026-10-31T21:00:00.000Z');
  insertHeartbeats(db, 'ag-nandu', 'nandu', '2026-10-31T03:00:30.000Z', '2026-10-31T21:00:30.000Z');
}

/** The text of a PDF, as pdftotext reads it (layout kept). */
export function pdfText(pdf: Buffer | string): string {
  const path = typeof pdf === 'string' ? pdf : writeTemp(pdf);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
}

/** pdfinfo's fields (Title, Author, Pages, …). */
export function pdfInfo(pdf: Buffer | string): Record<string, string> {
  const path = typeof pdf === 'string' ? pdf : writeTemp(pdf);
  const out = execFileSync('pdfinfo', ['-enc', 'UTF-8', path], { encoding: 'utf8' });
  return Object.fromEntries(out.split('\n').filter((l) => l.includes(':'))
    .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
}

/** Saves a PDF and PNGs of its first pages under test-artifacts/reports/<name>. */
export function saveArtifacts(name: string, pdf: Buffer, pages = 2): string[] {
  mkdirSync(ARTIFACTS, { recursive: true });
  const pdfPath = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(pdfPath, pdf);
  const pngs: string[] = [];
  for (let p = 1; p <= pages; p++) {
    const base = join(ARTIFACTS, `${name}-p${p}`);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(p), '-l', String(p), '-singlefile', pdfPath, base]);
    pngs.push(`${base}.png`);
  }
  return pngs;
}

function writeTemp(pdf: Buffer): string {
  const path = join(tempDir(), 'report.pdf');
  writeFileSync(path, pdf);
  return path;
}
