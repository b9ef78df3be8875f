// Delivery of monthly reports: generate one (aggregate → render → archive), or run a month for every customer whose
// plan includes the report and queue the mail to the designated contacts in the notification outbox.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { XpearsError } from '../lib/errors.js';
import type { Language, NotificationQueue, OutgoingMessage } from '../collector/notify/types.js';
import { contactsForReport } from '../collector/registry/recipients.js';
import type { Contact, Customer, PlanId, RegistryReader } from '../collector/registry/types.js';
import { DEFAULT_PLANS, type Plan } from '../config/plans.js';
import { aggregateMonthlyReport, type ReportSource } from './aggregate.js';
import { archiveReport, archivedVersions, type ArchivedReport } from './archive.js';
import type { MonthlyReportData } from './model.js';
import { parseMonthKey } from './month.js';
import { PROVIDER_NAME, renderMonthlyReport } from './render/document.js';
import { stringsFor } from './render/i18n.js';
import { formattersFor } from './render/format.js';
import { monthlyReportMail } from './templates/monthly-report.js';

/** What generating and delivering reports needs; the collector's composition root builds it. */
export interface ReportDeps {
  source: ReportSource;
  registry: RegistryReader;
  /** The notification outbox (collector/notify NotificationOutbox). */
  outbox: NotificationQueue;
  /** The collector's data directory: the archive is dataDir/reports/. */
  dataDir: string;
  clock: Clock;
  plans?: Readonly<Record<PlanId, Plan>>;
  logger?: Logger;
  provider?: string;
}

/** A report made by generateMonthlyReport. */
export interface GeneratedReport {
  customerId: string;
  month: string;
  archived: ArchivedReport;
  /** The extra copy written with --out, as an absolute path. */
  out?: string;
  figures: { occurrences: number; threats: number; unhandled: number };
}

/** Aggregates, renders and archives one customer-month (a new version if the month was archived before). */
export async function generateMonthlyReport(req: { customerId: string; month: string; out?: string },
  deps: ReportDeps): Promise<GeneratedReport> {
  parseMonthKey(req.month);
  const data = aggregateMonthlyReport({ source: deps.source, registry: deps.registry, plans: deps.plans,
    now: deps.clock() }, req.customerId, req.month);
  const pdf = await renderMonthlyReport(data, { provider: deps.provider });
  const archived = archiveReport(deps.dataDir, req.customerId, req.month, pdf);
  let out: string | undefined;
  if (req.out) {
    out = resolve(req.out);
    mkdirSync(dirname(out), { recursive: true });
    copyFileSync(archived.path, out);
  }
  deps.logger?.info({ customerId: req.customerId, month: req.month, path: archived.path, version: archived.version },
    'monthly report generated');
  return { customerId: req.customerId, month: req.month, archived, ...(out ? { out } : {}), figures: figuresOf(data) };
}

/** What happened to one customer in a run. */
export interface CustomerOutcome {
  customerId: string;
  /** generated: a new PDF; reused: the month was archived already and is mailed (deduplicated) as it is. */
  status: 'generated' | 'reused' | 'failed';
  path?: string;
  version?: number;
  /** Messages handed to the outbox (one per designated contact). */
  queued: number;
  error?: string;
}

/** Progress of a run, after each customer. */
export interface RunProgress { done: number; total: number; outcome: CustomerOutcome }

/** The result of a run. */
export interface RunSummary {
  month: string;
  customers: number;
  generated: number;
  reused: number;
  failed: number;
  queued: number;
  outcomes: CustomerOutcome[];
}

/** Generates, archives and mails one month's report for every customer whose plan includes it. Safe to re-run:
 *  an archived month is reused and its mails carry the same dedup keys, so nothing is sent twice unless `resend`. */
export async function runMonthlyReports(req: { month: string; resend?: boolean; onProgress?: (p: RunProgress) => void },
  deps: ReportDeps): Promise<RunSummary> {
  parseMonthKey(req.month);
  const plans = deps.plans ?? DEFAULT_PLANS;
  const customers = deps.registry.listCustomers().filter((c) => plans[c.plan]?.monthlyReport === true)
    .sort((a, b) => a.id.localeCompare(b.id));
  const outcomes: CustomerOutcome[] = [];
  for (const customer of customers) {
    let outcome: CustomerOutcome;
    try {
      outcome = await deliverOne(customer, req.month, req.resend === true, deps);
    } catch (err) {
      deps.logger?.error({ err, customerId: customer.id, month: req.month }, 'monthly report failed');
      outcome = { customerId: customer.id, status: 'failed', queued: 0, error: (err as Error).message };
    }
    outcomes.push(outcome);
    req.onProgress?.({ done: outcomes.length, total: customers.length, outcome });
  }
  const count = (s: CustomerOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return { month: req.month, customers: customers.length, generated: count('generated'), reused: count('reused'),
    failed: count('failed'), queued: outcomes.reduce((a, o) => a + o.queued, 0), outcomes };
}

/** Mails one customer's report for a month again (a new archived version, mails keyed by it): the console's resend. */
export async function resendMonthlyReport(req: { customerId: string; month: string }, deps: ReportDeps): Promise<CustomerOutcome> {
  parseMonthKey(req.month);
  const customer = deps.registry.getCustomer(req.customerId);
  if (!customer) throw new XpearsError('CUSTOMER_NOT_FOUND', `customer ${req.customerId} not found`);
  return deliverOne(customer, req.month, true, deps);
}

async function deliverOne(customer: Customer, month: string, resend: boolean, deps: ReportDeps): Promise<CustomerOutcome> {
  const existing = archivedVersions(deps.dataDir, customer.id, month).at(-1);
  let archived: ArchivedReport;
  let figures: GeneratedReport['figures'];
  let status: CustomerOutcome['status'];
  if (existing && !resend) {
    // Figures for the mail come from the store again: cheap, and the PDF stays the one archived first.
    const data = aggregateMonthlyReport({ source: deps.source, registry: deps.registry, plans: deps.plans,
      now: deps.clock() }, customer.id, month);
    archived = existing;
    figures = figuresOf(data);
    status = 'reused';
  } else {
    const made = await generateMonthlyReport({ customerId: customer.id, month }, deps);
    archived = made.archived;
    figures = made.figures;
    status = 'generated';
  }
  // A "resend" of a month never sent before is its first sending: keep the plain keys so a later run dedups.
  const isResend = resend && existing !== undefined;
  let queued = 0;
  // Who receives it: the registry's one rule (every contact of the customer; a customer with none is logged).
  const chosen = new Set(contactsForReport(customer, { ...(deps.logger ? { log: deps.logger } : {}), about: 'report' }).map((r) => r.contactId));
  for (const contact of customer.contacts.filter((c) => chosen.has(c.id))) {
    deps.outbox.enqueue(reportMail(customer, contact, month, archived, figures, isResend, deps.provider ?? PROVIDER_NAME));
    queued++;
  }
  return { customerId: customer.id, status, path: archived.path, version: archived.version, queued };
}

/** The dedup key of a report mail: stable per customer, month and contact; a resend is keyed by the new version. */
export function reportDedupKey(customerId: string, month: string, contactId: string, resendVersion?: number): string {
  const base = `report:${customerId}:${month}:${contactId}`;
  return resendVersion === undefined ? base : `${base}:resend-v${resendVersion}`;
}

/** The mail to one designated contact, in the contact's language, with the archived PDF attached. */
export function reportMail(customer: Customer, contact: Contact, month: string, archived: ArchivedReport,
  figures: GeneratedReport['figures'], resend: boolean, provider: string): OutgoingMessage {
  const language: Language = contact.language === 'en' ? 'en' : 'es';
  const s = stringsFor(language);
  const f = formattersFor(language, customer.timezone);
  const { year, month: m } = parseMonthKey(month);
  const attachment = `${language === 'en' ? 'monthly-report' : 'informe-mensual'}-${customer.id}-${month}.pdf`;
  const message = monthlyReportMail.render(language, {
    contact: { name: contact.name }, customer: { name: customer.name }, provider, attachment,
    month: { label: s.monthLabel(s.months[m - 1] ?? String(m), year) },
    figures: { occurrences: f.int(figures.occurrences), threats: f.int(figures.threats), unhandled: f.int(figures.unhandled) },
  });
  if (!contact.email) throw new XpearsError('INVALID_ARGUMENT', `contact ${contact.id} has no e-mail address`);
  return {
    channel: 'email', to: [contact.email], message,
    attachments: [{ filename: attachment, path: archived.path, contentType: 'application/pdf' }],
    dedupKey: reportDedupKey(customer.id, month, contact.id, resend ? archived.version : undefined),
    subjectRef: { kind: 'report', id: `${customer.id}:${month}`, customerId: customer.id },
  };
}

function figuresOf(data: MonthlyReportData): GeneratedReport['figures'] {
  return { occurrences: data.current.occurrences, threats: data.current.threats,
    unhandled: data.current.unhandledThreats };
}
