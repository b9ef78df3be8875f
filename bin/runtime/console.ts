// Hooks the CAS console (collector/web) into the collector's app: accounts on the collector's database, the
// services it shows and changes, and the status facts of `xpears collector status`.
import type { FastifyInstance } from 'fastify';
import { AccountStore } from '../../collector/accounts/index.js';
import { consolePlugin } from '../../collector/web/index.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { CollectorServices } from './services.js';
import { collectorStatus } from '../commands/status.js';
import { CaseService } from '../../collector/cases/service.js';
import type { ConsoleReports } from '../../collector/web/context.js';
import { listReports } from '../../reports/archive.js';
import { monthOf, previousMonthKey } from '../../reports/month.js';
import { generateMonthlyReport, resendMonthlyReport, type ReportDeps } from '../../reports/run.js';

/** The reports page's port onto reports/ (the collector does not import reports/ itself). */
export function consoleReports(reports: ReportDeps, zone: string): ConsoleReports {
  return {
    list: () => listReports(reports.dataDir),
    generate: async (customerId, month) => {
      const made = await generateMonthlyReport({ customerId, month }, reports);
      return { customerId: made.customerId, month: made.month, version: made.archived.version };
    },
    resend: async (customerId, month) => {
      const outcome = await resendMonthlyReport({ customerId, month }, reports);
      return { version: outcome.version ?? 0, queued: outcome.queued };
    },
    lastMonth: () => previousMonthKey(monthOf(reports.clock(), zone)),
  };
}

/** Registers the console under /console on the app (before it listens); returns the account store it uses. */
export async function registerConsole(app: FastifyInstance, services: CollectorServices, deps: { logger: Logger; clock: Clock; secure: boolean }): Promise<AccountStore> {
  const accounts = new AccountStore(services.db, deps.clock);
  const escalation = services.config.tickets.escalation;
  await app.register(consolePlugin, {
    accounts, tickets: services.tickets, registry: services.registry, outbox: services.outbox, advisories: services.advisories,
    calendar: services.calendar, db: services.db, clock: deps.clock, logger: deps.logger.child({ component: 'console' }),
    lastHeartbeats: () => services.repo.lastHeartbeats(), problems: () => collectorStatus(services, deps.clock()).problems,
    reports: consoleReports(services.reports, services.calendar.zone), registryEditor: services.registry,
    cases: new CaseService(services.tickets, { mailDomain: services.config.notify?.from.address.split('@')[1] ?? 'xpears.invalid' }), secure: deps.secure, warnAtFraction: escalation.warnAtFraction, silenceMinutes: escalation.agentSilence.afterMinutes,
  });
  return accounts;
}
