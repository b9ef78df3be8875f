// The agent-silence stage: an agent that stops sending heartbeats opens its own ticket ("agente sin conexión"), one
// per agent while it stays open; when heartbeats resume, the ticket is resolved by the system and the mail says so.
// While a maintenance window covers the agent (its customer's or its own) no ticket opens.
import type { Logger } from '../../lib/logger.js';
import { consoleField } from '../../lib/console-text.js';
import type { AgentRecord, RegistryReader } from '../registry/types.js';
import type { TicketService } from '../tickets/service.js';
import { openSystemTicket } from '../pipeline/system-ticket.js';
import { formatInstant } from '../tickets/describe.js';
import { agentSilenceSummary } from '../tickets/templates.js';
import type { EscalationConfig } from './config.js';
import { noiseFor } from '../noise/context.js';
import { windowCoversAgent, windowOpen } from '../noise/match.js';

/** What one pass did about silent agents. */
export interface SilenceReport {
  opened: string[];
  resolved: string[];
}

/** The dedup key of an agent's silence ticket: one open at a time per agent. */
export function agentSilenceKey(agentId: string): string {
  return `agent-silence|agent=${agentId}`;
}

/** The last heartbeat of each agent as the event store records it (EventRepository.lastHeartbeats). */
export type LastHeartbeats = () => ReadonlyMap<string, { receivedAt: string; heartbeat?: { hostname?: string } }>;

/** Whether an agent counts as silent at `now`: enrolled, not revoked, heard from once, and not for `afterMinutes`. */
export function isSilent(agent: AgentRecord, now: Date, afterMinutes: number): boolean {
  // Never heard from: still being installed; `xpears agent list` shows it, a ticket would be noise.
  if (agent.revokedAt || !agent.lastSeenAt) return false;
  return now.getTime() - Date.parse(agent.lastSeenAt) > afterMinutes * 60_000;
}

// The later of the registry's lastSeenAt and the store's last heartbeat: either may be the one kept up to date.
function withLastBeat(agent: AgentRecord, beats: ReturnType<LastHeartbeats> | undefined): { agent: AgentRecord; hostname?: string } {
  const beat = beats?.get(agent.id);
  const hostname = beat?.heartbeat?.hostname ?? agent.lastHeartbeat?.hostname;
  if (!beat || (agent.lastSeenAt && Date.parse(agent.lastSeenAt) >= Date.parse(beat.receivedAt))) return { agent, hostname };
  return { agent: { ...agent, lastSeenAt: beat.receivedAt }, hostname };
}

/** Opens a ticket per newly silent agent and resolves the ones whose agent is back. */
export function checkAgentSilence(deps: {
  service: TicketService;
  registry: RegistryReader;
  config: EscalationConfig['agentSilence'];
  logger: Logger;
  lastHeartbeats?: LastHeartbeats;
}, now: Date): SilenceReport {
  const report: SilenceReport = { opened: [], resolved: [] };
  if (!deps.config.enabled) return report;
  const { service } = deps;
  const beats = deps.lastHeartbeats?.();
  const windows = noiseFor(service.deps.db).store.windows();
  for (const { agent, hostname } of deps.registry.listAgents().map((a) => withLastBeat(a, beats))) {
    const key = agentSilenceKey(agent.id);
    const open = service.repo.findOpenByKey(key);
    if (isSilent(agent, now, deps.config.afterMinutes)) {
      if (open) continue;
      const customer = deps.registry.getCustomer(agent.customerId);
      // A planned stop: no ticket while a window covers the agent; the first pass after it ends opens it, from then.
      if (windows.some((w) => windowCoversAgent(w, agent) && windowOpen(w, now, customer))) continue;
      const lastSeenAt = agent.lastSeenAt as string;
      const { ticket, created } = openSystemTicket({ service, log: deps.logger }, {
        customerId: agent.customerId, agentId: agent.id, caseKind: deps.config.caseKind, rule: 'agent-silence',
        dedupKey: key, occurrenceId: `agent-silence:${agent.id}:${lastSeenAt}`, occurredAt: lastSeenAt, now,
        describe: (language) => agentSilenceSummary.render(language, {
          // The hostname is what the agent's machine reported: one capped line, quoted by the template.
          agent: agent.name, hostname: consoleField(hostname, 100), customer: customer?.name ?? agent.customerId,
          lastSeenAt: formatInstant(lastSeenAt, language, service.repo.zone), minutes: deps.config.afterMinutes,
          advice: { agent: true },
        }),
      });
      if (created) report.opened.push(ticket.number);
    } else if (open && deps.config.autoResolve && agent.lastSeenAt && Date.parse(agent.lastSeenAt) > Date.parse(open.openedAt)) {
      service.resolve(open.id, 'system', `heartbeat ${agent.lastSeenAt}`, now, { agentBack: true });
      report.resolved.push(open.number);
      deps.logger.info({ agent: agent.id, ticket: open.number }, 'agent back: silence ticket resolved');
    }
  }
  return report;
}
