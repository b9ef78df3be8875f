// What the console is built from, and what each request carries once authenticated.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CaseService } from '../cases/service.js';
import type { AccountStore, LoginThrottle, Permission, User } from '../accounts/index.js';
import { can } from '../accounts/index.js';
import type { TicketService } from '../tickets/index.js';
import type { RegistryReader } from '../registry/types.js';
import type { Registry } from '../registry/registry.js';
import type { NotificationOutbox } from '../notify/outbox.js';
import type { AdvisoryService } from '../advisories/index.js';
import type { BusinessCalendar } from '../../config/calendar.js';
import type { Db } from '../store/db.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Language } from '../notify/types.js';
import { XpearsError } from '../../lib/errors.js';
import type { SafeHtml } from './html.js';

/** Everything the console reads and changes; the collector's composition root passes its own services. */
export interface ConsoleDeps {
  accounts: AccountStore;
  tickets: TicketService;
  registry: RegistryReader;
  outbox: NotificationOutbox;
  advisories?: AdvisoryService;
  calendar: BusinessCalendar;
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Heartbeats by agent id (the event store's). */
  lastHeartbeats(): Map<string, { receivedAt: string; heartbeat: { agentVersion?: string; outbox: { depth: number; oldestAgeSeconds?: number | null; refusing: boolean }; receivers?: { name: string; healthy: boolean }[] } }>;
  /** What needs a person, in plain words (the facts of `xpears collector status`). */
  problems?(): string[];
  /** Served over HTTPS: cookies get Secure and responses HSTS. */
  secure?: boolean;
  /** Fraction of the response target after which the queue shows amber (escalation.warnAtFraction). */
  warnAtFraction?: number;
  /** Minutes without a heartbeat after which an agent is shown silent. */
  silenceMinutes?: number;
  throttle?: LoginThrottle;
  /** Edits of the registry (the customers page, leads only); without it the page is read-only. */
  registryEditor?: Pick<Registry, 'addCustomer' | 'setCustomer' | 'addProduct' | 'setMaintenance' | 'removeProduct' | 'addContact' | 'updateContact'
    | 'removeContact' | 'enrollAgent' | 'revokeAgent' | 'refreshIfChanged'>;
  /** The monthly reports' archive, generator and resend (the reports page), wired by the composition root. */
  reports?: ConsoleReports;
  /** Customers' cases (collector/cases/): the reply to a case goes to its requester and the portal. */
  cases?: CaseService;
}

/** One archived monthly report, as the reports page lists it. */
export interface ReportListing { customerId: string; month: string; version: number; createdAt: string; path: string }

/**
 * The monthly reports as the console uses them. The collector never imports reports/ (it sits above the collector):
 * bin/runtime/console.ts builds this port from it.
 */
export interface ConsoleReports {
  list(): ReportListing[];
  generate(customerId: string, month: string): Promise<{ customerId: string; month: string; version: number }>;
  /** Mails the month again to the customer's contacts (a new version); returns how many mails were queued. */
  resend(customerId: string, month: string): Promise<{ version: number; queued: number }>;
  /** The month a report is usually made for now (the previous one in the calendar's zone). */
  lastMonth(): string;
}

/** Who is asking, once the session or personal token is checked. */
export interface Viewer {
  user: User;
  /** The session's CSRF token; undefined for a personal API token (no cookie, no CSRF). */
  csrf?: string;
  via: 'session' | 'token';
}

const viewers = new WeakMap<FastifyRequest, Viewer>();

/** Records the viewer of a request (the auth hook). */
export function setViewer(req: FastifyRequest, viewer: Viewer): void {
  viewers.set(req, viewer);
}

/** The viewer of an authenticated request. */
export function viewerOf(req: FastifyRequest): Viewer {
  const v = viewers.get(req);
  if (!v) throw new XpearsError('AUTH_MISSING');
  return v;
}

/** The language a viewer reads. */
export function langOf(req: FastifyRequest): Language {
  return viewers.get(req)?.user.language ?? 'es';
}

/** Refuses (403) a viewer whose role lacks the permission. */
export function requirePermission(req: FastifyRequest, permission: Permission): Viewer {
  const v = viewerOf(req);
  if (!can(v.user.role, permission)) throw new XpearsError('FORBIDDEN', `role ${v.user.role} may not ${permission}`);
  return v;
}

/** Sends a page. */
export function sendHtml(reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page.value);
}

/** Redirects after a POST (303: the browser GETs the target). */
export function seeOther(reply: FastifyReply, to: string): FastifyReply {
  return reply.code(303).header('location', to).send();
}
