// `xpears rules test FILE --pipeline --customer ID`: what a set of events would become through the whole pipeline
// (triage, the maintenance windows and silences in force, storm control, tickets and mails), run on a throwaway copy:
// a temporary database holding the real windows and silences, and a copy of the registry. Nothing real changes.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectorConfig } from '../../collector/config.js';
import { XpearsError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import { fixedClock } from '../../lib/clock.js';
import type { StoredEvent } from '../../protocol/event.js';
import { collectorPaths } from '../runtime/paths.js';
import { openCollectorServices } from '../runtime/services.js';

/** What one event became. */
export interface SimulatedEvent { index: number; eventType: string; computer: string | null; outcome: string; rule: string; became: string }

/** The events' fate, the tickets they would open or fold into, and the mails per recipient. */
export interface Simulation {
  events: SimulatedEvent[];
  tickets: { number: string; key: string; computers: number; events: number }[];
  mails: Record<string, number>;
}

/** Runs the events of `file` (a JSON event or array) for `customerId` at `now` on a throwaway copy. */
export async function simulatePipeline(config: Readonly<CollectorConfig>, file: string, customerId: string, now: Date): Promise<Simulation> {
  const list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const items = (Array.isArray(list) ? list : [list]) as Omit<StoredEvent, 'id' | 'envelopeId' | 'customerId' | 'raw' | 'receivedAt'>[];
  const tmp = mkdtempSync(join(tmpdir(), 'xpears-simulate-'));
  const real = collectorPaths(config);
  if (existsSync(real.registry)) copyFileSync(real.registry, join(tmp, 'registry.json'));
  const s = await openCollectorServices({ ...config, dataDir: tmp }, { logger: silentLogger(), clock: fixedClock(now) });
  try {
    if (!s.registry.getCustomer(customerId)) throw new XpearsError('CUSTOMER_NOT_FOUND', `no customer has the id "${customerId}"`);
    if (existsSync(real.database)) {
      s.db.prepare('ATTACH DATABASE ? AS real').run(real.database);
      s.db.exec('INSERT INTO maintenance_windows SELECT * FROM real.maintenance_windows; INSERT INTO silences SELECT * FROM real.silences; DETACH DATABASE real');
    }
    const events: StoredEvent[] = items.map((e, i) => ({ ...e, agentId: (e as { agentId?: string }).agentId ?? 'simulated', id: `sim-${i}`, envelopeId: `sim-${i}`,
      customerId, raw: '', receivedAt: now.toISOString() } as StoredEvent));
    const outcomes = s.pipeline.processStored(events, now);
    const byId = new Map(events.map((e, i) => [e.id, { e, o: outcomes[i] }]));
    const out: SimulatedEvent[] = [...byId.values()].map(({ e, o }, index) => ({
      index, eventType: e.eventType, computer: e.computer?.name ?? null, outcome: o?.outcome ?? 'failed', rule: o?.rule ?? '-',
      became: !o ? 'failed' : o.suppressedBy ? `suppressed by ${o.suppressedBy.kind} ${o.suppressedBy.ref}`
        : o.ticket ? `${o.created ? 'opens' : 'folds into'} ${o.ticket.number}${o.ticket.dedupKey.startsWith('storm|') ? ' (outbreak incident)' : ''}` : 'report only',
    }));
    const tickets = s.tickets.repo.list({}).map((t) => ({ number: t.number, key: t.dedupKey,
      computers: s.tickets.repo.computers(t.id).length, events: s.tickets.repo.eventIds(t.id).length }));
    const mails: Record<string, number> = {};
    for (const m of s.outbox.list({ limit: 100_000 })) for (const to of m.to) mails[to] = (mails[to] ?? 0) + 1;
    return { events: out, tickets, mails };
  } finally {
    s.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The simulation as lines a person reads. */
export function formatSimulation(r: Simulation): string {
  return [
    ...r.events.map((e) => `#${e.index} ${e.eventType}${e.computer ? ` on ${e.computer}` : ''} → ${e.outcome} (rule ${e.rule}): ${e.became}`),
    `tickets: ${r.tickets.length}${r.tickets.map((t) => `\n  ${t.number} ${t.key}: ${t.computers} computers, ${t.events} events`).join('')}`,
    `mails: ${Object.entries(r.mails).map(([to, n]) => `${to} ${n}`).join(', ') || 'none'}`,
  ].join('\n');
}
