// Storm control (docs/noise.md): when one customer's events of one threat (or, without a threat name, one event
// type) would open tickets on more than `storm.threshold` computers within `storm.windowMinutes`, the next ones go
// into one outbreak incident instead: a ticket under the storm key that lists every computer (the earlier tickets'
// too) and keeps counting. A contact gets its opening mail, then at most one update per `mailIntervalMinutes` with
// the computers added since the last. Inhibition: a client "not connected" while the agent on its management server
// has an open silence ticket folds into that ticket. Everything here runs in the dedup key's transaction: a crash leaves the
// grouping, the ticket and its mails together or not at all.
import type { StoredEvent } from '../../protocol/event.js';
import type { Migration } from '../store/db.js';
import { openingRecipients } from '../pipeline/notify.js';
import type { KeyWork, PipelineContext, Stage } from '../pipeline/types.js';
import { noiseOf } from './context.js';
import { agentSilenceKey } from '../escalation/agent-silence.js';
import { queueStormUpdate } from './storm-mail.js';

/** The storm tables: which ticket each computer of a group opened, and each incident's last update mail. */
export const stormMigrations: Migration[] = [{
  id: 'noise/002-storm',
  up(db) {
    db.exec(`
      CREATE TABLE storm_members (
        group_key TEXT NOT NULL, computer TEXT NOT NULL, ticket_id TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (group_key, computer, ticket_id)
      ) WITHOUT ROWID;
      CREATE INDEX storm_members_time ON storm_members (group_key, at);
      CREATE TABLE storm_incidents (
        ticket_id TEXT PRIMARY KEY, group_key TEXT NOT NULL, opened_at TEXT NOT NULL, last_mail_at TEXT NOT NULL,
        computers_mailed INTEGER NOT NULL
      );
    `);
  },
}];

/** The storm group of an event: its customer and threat name, or its event type when it names no threat. */
export function stormKey(event: StoredEvent): string {
  const what = event.threat?.name ? `threat=${event.threat.name.toLowerCase()}` : `type=${event.eventType}`;
  return `storm|customer=${event.customerId}|${what}`;
}

interface StormMark { group: string; computer: string; incident: boolean }
const marks = new WeakMap<KeyWork, StormMark>();

// Distinct other computers of the group that opened a ticket within the window.
function recentComputers(ctx: PipelineContext, group: string, computer: string, now: Date, minutes: number): number {
  const since = new Date(now.getTime() - minutes * 60_000).toISOString();
  return ctx.service.deps.db.prepare(`SELECT COUNT(DISTINCT computer) FROM storm_members
    WHERE group_key = ? AND at >= ? AND computer <> ?`).pluck().get(group, since, computer) as number;
}

/** Before the ticket stage: a client "not connected" while its management server's agent is silent folds into that
 *  silence ticket (inhibition); a key of a storming group is sent to the group's incident. */
export const stormStage: Stage<KeyWork> = {
  name: 'storm',
  run(work, batch, ctx) {
    const { storm } = noiseOf(ctx).config;
    const first = batch.events[work.indexes[0]!]!;
    if (first.eventType === 'client-not-connected' && ctx.service.repo.findOpenByKey(agentSilenceKey(first.agentId))) {
      work.key = agentSilenceKey(first.agentId);
      return;
    }
    const computer = first.computer?.name?.toLowerCase();
    if (!storm.enabled || !computer) return;
    // Only a key that would open a ticket of its own can storm; one with an open ticket folds into it as ever.
    if (ctx.service.repo.findOpenByKey(work.key)) return;
    const group = stormKey(first);
    const incident = ctx.service.repo.findOpenByKey(group) !== undefined
      || recentComputers(ctx, group, computer, batch.now, storm.windowMinutes) >= storm.threshold;
    if (incident) { work.key = group; work.outbreak = true; }
    marks.set(work, { group, computer, incident });
  },
};

// The computers of the group's earlier tickets join the incident it just opened.
function adoptEarlier(ctx: PipelineContext, group: string, ticketId: string, now: Date, minutes: number): void {
  const since = new Date(now.getTime() - minutes * 60_000).toISOString();
  const earlier = ctx.service.deps.db.prepare(`SELECT DISTINCT c.name, c.ip, c.usr AS user FROM storm_members m
    JOIN ticket_computers c ON c.ticket_id = m.ticket_id WHERE m.group_key = ? AND m.at >= ?`).all(group, since) as
    { name: string; ip: string | null; user: string | null }[];
  ctx.service.repo.addComputers(ticketId, earlier);
}

// At most one update per interval to the opening's recipients, each in their language and thread (storm-mail.ts), with the
// computers added since the last.
function updateMail(ctx: PipelineContext, work: KeyWork, now: Date, intervalMinutes: number): void {
  const db = ctx.service.deps.db;
  const ticket = work.ticket!;
  const row = db.prepare('SELECT last_mail_at AS at, computers_mailed AS mailed FROM storm_incidents WHERE ticket_id = ?').get(ticket.id) as
    { at: string; mailed: number } | undefined;
  if (!row || now.getTime() - Date.parse(row.at) < intervalMinutes * 60_000) return;
  const computers = ctx.service.repo.computers(ticket.id).map((c) => c.name);
  if (computers.length <= row.mailed) return;
  const added = computers.length - row.mailed;
  queueStormUpdate(ctx.service.notifier, ticket, openingRecipients(ctx, work.customer, ticket), computers, added, now);
  db.prepare('UPDATE storm_incidents SET last_mail_at = ?, computers_mailed = ? WHERE ticket_id = ?').run(now.toISOString(), computers.length, ticket.id);
}

/** After the notify stage: records the key's ticket in its group, adopts earlier computers, throttles updates. */
export const outbreakStage: Stage<KeyWork> = {
  name: 'outbreak',
  run(work, batch, ctx) {
    const mark = marks.get(work);
    if (!mark || !work.ticket) return;
    const db = ctx.service.deps.db;
    const { storm } = noiseOf(ctx).config;
    db.prepare('INSERT OR IGNORE INTO storm_members (group_key, computer, ticket_id, at) VALUES (?, ?, ?, ?)')
      .run(mark.group, mark.computer, work.ticket.id, batch.now.toISOString());
    if (!mark.incident) return;
    if (work.created) {
      adoptEarlier(ctx, mark.group, work.ticket.id, batch.now, storm.windowMinutes);
      db.prepare('INSERT OR IGNORE INTO storm_incidents (ticket_id, group_key, opened_at, last_mail_at, computers_mailed) VALUES (?, ?, ?, ?, ?)')
        .run(work.ticket.id, mark.group, batch.now.toISOString(), batch.now.toISOString(), ctx.service.repo.computers(work.ticket.id).length);
      ctx.log.info({ ticket: work.ticket.number, group: mark.group }, 'outbreak incident opened');
    } else {
      updateMail(ctx, work, batch.now, storm.mailIntervalMinutes);
    }
  },
};
