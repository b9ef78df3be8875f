// The collector's services on one database handle: store, registry, notification outbox, tickets, advisories.
// The CLI's operator commands use them without listening; `collector start` adds the HTTP app and the schedules.
import type { CollectorConfig } from '../../collector/config.js';
import type { Db } from '../../collector/store/db.js';
import { SqliteEventRepository } from '../../collector/store/store.js';
import { Registry } from '../../collector/registry/index.js';
import { resolvePlans, type Plan, type PlanOverrides } from '../../config/plans.js';
import { createBusinessCalendar, type BusinessCalendar } from '../../config/calendar.js';
import { NotificationOutbox, registerTemplates, notifyTemplates, listTemplates } from '../../collector/notify/index.js';
import { TicketService, ticketTemplates } from '../../collector/tickets/index.js';
import { EventPipeline } from '../../collector/pipeline/pipeline.js';
import { loadTriageRules } from '../../collector/triage/index.js';
import { AdvisoryService } from '../../collector/advisories/index.js';
import { advisoryTemplates } from '../../collector/advisories/templates.js';
import type { PlanId } from '../../collector/registry/types.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { collectorPaths } from './paths.js';
import { reportTemplates } from '../../reports/templates/monthly-report.js';
import { createSqliteReportSource } from '../../reports/aggregate.js';
import type { ReportDeps } from '../../reports/run.js';
import { openCollectorDatabase } from './migrations.js';
import { ensureSpaceComesBack } from '../../collector/store/space.js';
import { stormUpdateMail } from '../../collector/noise/storm-mail.js';
import { CaseStore } from '../../collector/cases/store.js';
import { mailDomainOf, outboxMessageId } from '../../collector/notify/email/index.js';

/** Every service of the collector, sharing one SQLite handle so a ticket and its mail commit together. */
export interface CollectorServices {
  config: Readonly<CollectorConfig>;
  db: Db;
  repo: SqliteEventRepository;
  registry: Registry;
  plans: Readonly<Record<PlanId, Plan>>;
  calendar: BusinessCalendar;
  outbox: NotificationOutbox;
  tickets: TicketService;
  /** What happens to stored events: triage → suppress → correlate → ticket → notify (collector/pipeline/). */
  pipeline: EventPipeline;
  advisories: AdvisoryService;
  /** What the monthly reports read from and write to. */
  reports: ReportDeps;
  close(): void;
}

let templatesRegistered = false;

/** Registers every message template once; a template error stops the start-up here, not in a mail. */
export function registerAllTemplates(): number {
  if (!templatesRegistered) {
    registerTemplates([...notifyTemplates, ...ticketTemplates, ...advisoryTemplates, ...reportTemplates, stormUpdateMail]);
    templatesRegistered = true;
  }
  return listTemplates().length;
}

/** Opens the database (applying every migration), the registry, and builds the services. */
export async function openCollectorServices(config: Readonly<CollectorConfig>, deps: { logger: Logger; clock: Clock }): Promise<CollectorServices> {
  registerAllTemplates();
  const paths = collectorPaths(config);
  const db = openCollectorDatabase(config);
  // A file made before incremental vacuum: switched now if small, else the log names the command (store/space.ts).
  ensureSpaceComesBack(db, deps.logger);
  const plans = resolvePlans(config.plans as PlanOverrides);
  const registry = await Registry.open(paths.registry, plans, deps.clock);
  // A route for a customer id the registry does not know is most likely a typo: it would never apply.
  for (const id of Object.keys(config.notify?.tickets.customers ?? {})) {
    if (!registry.getCustomer(id)) deps.logger.warn({ customerId: id }, 'notify.tickets names a customer not in the registry');
  }
  const calendar = createBusinessCalendar(config.calendar);
  const outbox = new NotificationOutbox({ db, clock: deps.clock, logger: deps.logger, ...(config.notify ? { retry: config.notify.retry } : {}) });
  const language = config.language;
  const tickets = new TicketService({
    db, clock: deps.clock, registry, plans, calendar, queue: outbox, logger: deps.logger, language,
    rules: loadTriageRules(config.tickets.rulesFile),
    onDuty: config.notify?.onDuty ?? [],
    levelEngineers: config.tickets.levelEngineers,
    accountManagers: config.tickets.escalation.accountManagers,
    ...(config.notify ? { ticketRoutes: config.notify.tickets } : {}),
    // Every reader's mails of a ticket in one thread, recorded where the CAS mailbox looks a reply up (case_messages).
    mailThreads: { store: new CaseStore(db), messageIdOf: (id: string) => outboxMessageId(id, mailDomainOf(config.notify?.from.address)) },
  });
  const { enabled: _enabled, ...advisoriesConfig } = config.advisories;
  const advisories = new AdvisoryService({ db, clock: deps.clock, registry, queue: outbox, config: advisoriesConfig, logger: deps.logger });
  return {
    config, db, repo: new SqliteEventRepository(db), registry, plans, calendar, outbox, tickets, pipeline: new EventPipeline(tickets, undefined, config.noise), advisories,
    reports: { source: createSqliteReportSource(db), registry, outbox, dataDir: config.dataDir, clock: deps.clock, plans, logger: deps.logger },
    close() { db.close(); },
  };
}
