// The escalation scheduler: once a minute (node-cron), one pass at one instant — warn the on-duty engineers when an
// unanswered ticket has used warnAtFraction of its response target, escalate it (L2 and the CAM) when the target
// passes, and check for silent agents. Tests call tick(now) directly; start()/stop() only drive it from the clock.
import cron, { type ScheduledTask } from 'node-cron';
import type { BusinessCalendar } from '../../config/calendar.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { RegistryReader } from '../registry/types.js';
import { responseStatus, responseWarningDue } from '../tickets/sla.js';
import type { TicketService } from '../tickets/service.js';
import { checkAgentSilence, type LastHeartbeats, type SilenceReport } from './agent-silence.js';
import type { EscalationConfig } from './config.js';

/** What the scheduler needs. The service is the one the ingest uses (same database, same outbox). */
export interface EscalationSchedulerDeps {
  service: TicketService;
  registry: RegistryReader;
  calendar: BusinessCalendar;
  clock: Clock;
  logger: Logger;
  config: EscalationConfig;
  /** The store's last heartbeat per agent, when the registry's lastSeenAt is not kept up to date. */
  lastHeartbeats?: LastHeartbeats;
}

/** What one pass did: ticket numbers warned and escalated, silence tickets opened and resolved. */
export interface TickReport extends SilenceReport {
  warned: string[];
  escalated: string[];
}

/** Warns before, and escalates after, a missed first response; watches agent heartbeats. */
export class EscalationScheduler {
  private task: ScheduledTask | undefined;
  private readonly log: Logger;

  constructor(private readonly deps: EscalationSchedulerDeps) {
    this.log = deps.logger.child({ component: 'escalation' });
  }

  /** One pass at `now`. Safe to run from two processes: each step re-checks under the write lock. */
  tick(now: Date): TickReport {
    const { service, calendar, config } = this.deps;
    const report: TickReport = { warned: [], escalated: [], opened: [], resolved: [] };
    for (const ticket of service.repo.awaitingResponse()) {
      try {
        const plan = service.planOf(this.deps.registry.getCustomer(ticket.customerId));
        const status = responseStatus({
          plan, calendar, now, openedAt: new Date(ticket.openedAt), dueAt: new Date(ticket.responseDueAt), firstResponseAt: null,
        });
        if (status.met === false) {
          if (service.escalateMissed(ticket.id, now)) report.escalated.push(ticket.number);
        } else if (!ticket.warnedAt && responseWarningDue(status, config.warnAtFraction)) {
          if (service.warn(ticket.id, status, now)) report.warned.push(ticket.number);
        }
      } catch (err) {
        // One ticket's failure (a plan removed, a race lost) must not stop the others' escalation.
        this.log.error({ err, ticket: ticket.number }, 'escalation of a ticket failed');
      }
    }
    const silence = checkAgentSilence({
      service, registry: this.deps.registry, config: config.agentSilence, logger: this.log, lastHeartbeats: this.deps.lastHeartbeats,
    }, now);
    report.opened = silence.opened;
    report.resolved = silence.resolved;
    if (report.warned.length || report.escalated.length || report.opened.length || report.resolved.length) {
      this.log.info(report, 'escalation pass');
    }
    return report;
  }

  /** Runs tick on the configured schedule, reading the clock once per pass. */
  start(): void {
    if (this.task) return;
    this.task = cron.schedule(this.deps.config.schedule, () => {
      try {
        this.tick(this.deps.clock());
      } catch (err) {
        this.log.error({ err }, 'escalation pass failed');
      }
    }, { name: 'escalation', noOverlap: true, timezone: this.deps.calendar.zone });
  }

  /** Stops the schedule (a pass under way finishes). */
  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    if (task) await task.destroy();
  }
}
