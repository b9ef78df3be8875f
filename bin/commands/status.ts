// `xpears collector status`: what needs a person at the collector, worst first, then the counts.
import type { CollectorServices } from '../runtime/services.js';
import { exposedPaths } from '../../lib/private-files.js';
import { collectorPaths } from '../runtime/paths.js';
import { NoiseStore, type MaintenanceWindow } from '../../collector/noise/store.js';
import { windowCoversAgent, windowOpen } from '../../collector/noise/match.js';

/** The data files and folders other users can reach (databases, registry, token, reports), as a problem line. */
export function exposedDataProblem(config: CollectorServices['config']): string | null {
  const exposed = exposedPaths([config.dataDir, collectorPaths(config).adminToken]);
  if (exposed.length === 0) return null;
  const named = exposed.slice(0, 5).map((e) => `${e.path} (${e.mode.toString(8).padStart(4, '0')})`).join(', ');
  return `${exposed.length} data files or folders are readable by other users (want files 0600 in folders 0700): ${named}`
    + `${exposed.length > 5 ? ', …' : ''}; fix: chmod -R go-rwx ${config.dataDir}`;
}

/** The collector's status document. */
export interface CollectorStatus {
  problems: string[];
  envelopes: number;
  openTickets: number;
  notifications: { pending: number; dead: number; oldestPendingAgeSeconds: number | null; sending: boolean };
  agents: { id: string; customerId: string; lastSeenAt: string | null; outboxDepth: number | null; refusing: boolean }[];
  advisorySources: { source: string; failures: number; lastError: string | null }[];
  /** Silences active now and those ended within noise.silences.listAfterEndHours (docs/noise.md). */
  silences: { id: string; matchers: string; endsAt: string; active: boolean; comment: string; author: string }[];
  /** Maintenance windows open now. */
  maintenance: { id: string; customerId: string; scope: string; reason: string }[];
  /** Events kept from a ticket, in all, by a window and by a silence. */
  suppressed: { maintenance: number; silence: number };
}

/** Reads the state from the database and registry; problems in plain words. */
export function collectorStatus(s: CollectorServices, now: Date): CollectorStatus {
  const problems: string[] = [];
  const exposed = exposedDataProblem(s.config);
  if (exposed) problems.push(exposed);
  const n = s.outbox.stats(now);
  const sending = Boolean(s.config.notify);
  if (!sending) problems.push('notifications are queued but never sent: the configuration has no notify section (SMTP server)');
  if (n.dead > 0) problems.push(`${n.dead} notifications failed for good: see "xpears notification list --state dead", fix the cause, then "xpears notification retry --all"`);
  const oldest = n.oldestPendingAgeMs === null ? null : Math.round(n.oldestPendingAgeMs / 1000);
  if (sending && oldest !== null && oldest > 900) problems.push(`the oldest pending notification waits for ${Math.round(oldest / 60)} min: is the SMTP server reachable?`);

  const silence = s.config.tickets.escalation.agentSilence.afterMinutes;
  const beats = s.repo.lastHeartbeats();
  const agents = s.registry.listAgents().filter((a) => !a.revokedAt).map((a) => {
    const b = beats.get(a.id);
    return { id: a.id, customerId: a.customerId, lastSeenAt: b?.receivedAt ?? null, outboxDepth: b?.heartbeat.outbox.depth ?? null, refusing: b?.heartbeat.outbox.refusing ?? false };
  });
  const windows = new NoiseStore(s.db).windows();
  for (const a of agents) {
    if (a.refusing) problems.push(`agent ${a.id} (${a.customerId}) reports its outbox refusing captures: disk full or quota reached on the customer's server`);
    else if (a.lastSeenAt && now.getTime() - Date.parse(a.lastSeenAt) > silence * 60_000) {
      // A planned stop is not a problem: the window is listed under maintenance, and the ticket opens if it outlasts it.
      const planned = windows.some((w) => windowCoversAgent(w, a) && windowOpen(w, now, s.registry.getCustomer(a.customerId)));
      if (!planned) problems.push(`agent ${a.id} (${a.customerId}) silent since ${a.lastSeenAt}`);
    }
  }

  const sources = s.config.advisories.enabled
    ? s.advisories.sourceStatus().filter((x) => x.enabled).map((x) => ({ source: x.sourceId, failures: x.consecutiveFailures, lastError: x.lastError ?? null }))
    : [];
  for (const x of sources) if (x.failures >= 3) problems.push(`advisory source ${x.source} failed ${x.failures} times in a row: ${x.lastError ?? ''}`);

  const overdue = s.tickets.repo.awaitingResponse().filter((t) => Date.parse(t.responseDueAt) < now.getTime());
  if (overdue.length > 0) problems.push(`${overdue.length} tickets passed their response target unanswered (first: ${overdue[0]!.number})`);

  const openTickets = s.db.prepare("SELECT COUNT(*) FROM tickets WHERE state IN ('open', 'acknowledged')").pluck().get() as number;
  return {
    problems, envelopes: s.repo.countEnvelopes(), openTickets,
    notifications: { pending: n.pending, dead: n.dead, oldestPendingAgeSeconds: oldest, sending }, agents, advisorySources: sources,
    ...noiseStatus(s, now, windows),
  };
}

// Silences (active and recently ended), open maintenance windows and suppression counts.
function noiseStatus(s: CollectorServices, now: Date, windows: readonly MaintenanceWindow[]): Pick<CollectorStatus, 'silences' | 'maintenance' | 'suppressed'> {
  const store = new NoiseStore(s.db);
  const silences = store.silences(now, s.config.noise.silences.listAfterEndHours).map((x) => ({
    id: x.id, matchers: Object.entries(x.matchers).map(([k, v]) => `${k}=${v}`).join(' '), endsAt: x.expiredAt ?? x.endsAt,
    active: !x.expiredAt && Date.parse(x.endsAt) > now.getTime(), comment: x.comment, author: x.author,
  }));
  const maintenance = windows.filter((w) => windowOpen(w, now, s.registry.getCustomer(w.customerId)))
    .map((w) => ({ id: w.id, customerId: w.customerId, scope: w.computer ?? w.agentId ?? 'customer', reason: w.reason }));
  const counts = s.db.prepare('SELECT kind, COUNT(*) AS n FROM event_suppressions GROUP BY kind').all() as { kind: string; n: number }[];
  const count = (kind: string) => counts.find((c) => c.kind === kind)?.n ?? 0;
  return { silences, maintenance, suppressed: { maintenance: count('maintenance'), silence: count('silence') } };
}

/** Prints the status for a person. */
export function printCollectorStatus(st: CollectorStatus): void {
  console.log(st.problems.length === 0 ? 'OK: nothing needs attention' : `PROBLEMS (${st.problems.length}):`);
  for (const p of st.problems) console.log(`  - ${p}`);
  console.log(`envelopes stored: ${st.envelopes}; open tickets: ${st.openTickets}`);
  console.log(`notifications: ${st.notifications.pending} pending, ${st.notifications.dead} dead${st.notifications.sending ? '' : ' (not sending)'}`);
  for (const a of st.agents) console.log(`agent ${a.id} (${a.customerId}): last seen ${a.lastSeenAt ?? 'never'}, outbox ${a.outboxDepth ?? '-'}${a.refusing ? ', REFUSING' : ''}`);
  for (const x of st.advisorySources) if (x.failures > 0) console.log(`advisory source ${x.source}: ${x.failures} failures (${x.lastError ?? ''})`);
  for (const w of st.maintenance) console.log(`maintenance ${w.id} open: ${w.customerId} (${w.scope}): ${w.reason}`);
  for (const x of st.silences) console.log(`silence ${x.id} ${x.active ? 'active until' : 'ENDED at'} ${x.endsAt}: ${x.matchers} (${x.author}: ${x.comment})`);
  console.log(`suppressed events: ${st.suppressed.maintenance} in maintenance, ${st.suppressed.silence} silenced`);
}
