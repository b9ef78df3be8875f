// Wires triage, tickets and escalation from their configuration, for the command that starts the collector (the
// composition root). It builds; it starts nothing: the caller calls scheduler.start() and mounts the routes.
import type { BusinessCalendar } from '../../config/calendar.js';
import type { Plan } from '../../config/plans.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { EscalationConfig } from '../escalation/config.js';
import type { LastHeartbeats } from '../escalation/agent-silence.js';
import { EscalationScheduler } from '../escalation/scheduler.js';
import { registerTemplates } from '../notify/template.js';
import type { NotificationQueue } from '../notify/types.js';
import type { PlanId, RegistryReader } from '../registry/types.js';
import { migrate, type Db } from '../store/db.js';
import { loadTriageRules, type TriageRules } from '../triage/rules.js';
import type { TicketsConfig } from './config.js';
import type { Recipient } from './describe.js';
import { migrations } from './migrations.js';
import { TicketService } from './service.js';
import { ticketTemplates } from './templates.js';

/** What the ticket stage is built from. `queue` must write to `db` (the same handle). */
export interface TicketStageDeps {
  db: Db;
  clock: Clock;
  registry: RegistryReader;
  plans: Readonly<Record<PlanId, Plan>>;
  calendar: BusinessCalendar;
  queue: NotificationQueue;
  logger: Logger;
  /** The on-duty engineers (notify.onDuty). */
  onDuty: readonly Recipient[];
  tickets: TicketsConfig;
  escalation: EscalationConfig;
  /** The event store's last heartbeat per agent (EventRepository.lastHeartbeats). */
  lastHeartbeats?: LastHeartbeats;
}

/** The built stage: the service (ingest, CLI, routes), the scheduler (start/stop), and the rules in force. */
export interface TicketStage {
  service: TicketService;
  scheduler: EscalationScheduler;
  rules: TriageRules;
}

/** Applies the ticket migrations, loads the rules, registers the templates, builds service and scheduler. */
export function createTicketStage(deps: TicketStageDeps): TicketStage {
  migrate(deps.db, migrations);
  registerTemplates(ticketTemplates);
  const rules = loadTriageRules(deps.tickets.rulesFile);
  const service = new TicketService({
    db: deps.db, clock: deps.clock, registry: deps.registry, plans: deps.plans, calendar: deps.calendar, queue: deps.queue,
    rules, onDuty: deps.onDuty, logger: deps.logger, language: deps.tickets.language,
    levelEngineers: deps.tickets.levels, accountManagers: deps.escalation.accountManagers,
  });
  const scheduler = new EscalationScheduler({
    service, registry: deps.registry, calendar: deps.calendar, clock: deps.clock, logger: deps.logger,
    config: deps.escalation, ...(deps.lastHeartbeats ? { lastHeartbeats: deps.lastHeartbeats } : {}),
  });
  return { service, scheduler, rules };
}
