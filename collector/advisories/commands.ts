// Plain command functions behind `xpears advisory list|show|approve|drop|poll|sources`: inputs in, printable rows or
// objects out. The CLI parses flags, builds the service, calls one of these and prints; nothing here exits.
import { XpearsError } from '../../lib/errors.js';
import type { AdvisoryService } from './service.js';
import { unrecognizedProducts } from './products.js';
import { ADVISORY_STATES, RISK_LEVELS, type Advisory, type AdvisoryState, type RiskLevel } from './types.js';

/** One line of `xpears advisory list`. */
export interface AdvisoryRow {
  id: string;
  state: string;
  risk: string;
  kind: string;
  vendor: string;
  source: string;
  firstSeen: string;
  title: string;
  /** Who it goes to: the holders of the product families it names, or every holder of the vendor (and why). */
  routing: string;
}

/** How an advisory is routed, for a person: by product family, vendor-wide, or vendor-wide because no product it
 *  names is known ("unrecognized product"), with the names it gave. */
export function routingOf(a: Pick<Advisory, 'products' | 'families' | 'publisher'>): string {
  if (a.families.length > 0) return `products: ${a.families.join(', ')}`;
  const unknown = unrecognizedProducts(a);
  return unknown.length > 0 ? `vendor-wide, unrecognized product: ${unknown.join('; ')}` : 'vendor-wide';
}

/** Options of `xpears advisory list`, as strings from the command line. */
export interface ListOptions {
  state?: string;
  risk?: string;
  vendor?: string;
  source?: string;
  limit?: number | string;
}

/** `xpears advisory list [--state S] [--risk R] [--vendor V] [--source ID] [--limit N]`. */
export function listAdvisoriesCommand(service: AdvisoryService, opts: ListOptions = {}): AdvisoryRow[] {
  const state = oneOf(opts.state, ADVISORY_STATES, 'state') as AdvisoryState | undefined;
  const risk = oneOf(opts.risk, RISK_LEVELS, 'risk') as RiskLevel | undefined;
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new XpearsError('INVALID_ARGUMENT', '--limit must be a positive whole number');
  return service.list({ state, risk, vendor: opts.vendor, source: opts.source, limit }).map((a) => ({
    id: a.id, state: a.state, risk: a.risk, kind: a.kind, vendor: a.vendor, source: a.source,
    firstSeen: a.firstSeen.slice(0, 16).replace('T', ' '), title: a.title, routing: routingOf(a),
  }));
}

/** `xpears advisory show ID`: the advisory's fields and one line per contact it was sent to (at once or in a digest),
 *  plus the digest still to come. */
export function showAdvisoryCommand(service: AdvisoryService, id: string): Record<string, unknown> {
  const { advisory: a, deliveries, digestDone } = service.show(id);
  // Per contact, the advisories it was sent (recorded since issue 19); older rows only name the vendors.
  const got = (r: (typeof deliveries)[number]['recipients'][number]): boolean => (r.advisoryIds ? r.advisoryIds.includes(a.id) : r.vendors.includes(a.vendor));
  const recipients = deliveries.flatMap((d) => d.recipients.filter(got).map((r) =>
    `${r.email} (${d.customerId}/${r.contactId}, ${r.language}, ${d.kind === 'pass' ? 'immediate' : `digest ${d.batch}`}, ${d.kind === 'pass' && (r.items ?? 1) > 1 ? `queued with ${(r.items ?? 1) - 1} more` : 'queued'})`));
  if (a.digestDate && !digestDone) recipients.push(`digest ${a.digestDate}: pending (its recipients are worked out at the digest hour)`);
  return {
    id: a.id, title: a.title, state: a.state, vendor: a.vendor, kind: a.kind, risk: a.risk, riskSource: a.riskSource,
    products: a.products.join(', '), link: a.link ?? '', published: a.published ?? '', source: a.source,
    firstSeen: a.firstSeen, decidedBy: a.decidedBy ?? '', decidedAt: a.decidedAt ?? '', dropReason: a.dropReason ?? '',
    summary: a.summary, action: a.action ?? '',
    publisher: a.publisher, vendorLink: a.vendorLink ?? '', vendorPublished: a.vendorPublished ?? '', families: a.families.join(', '), routing: routingOf(a),
    affectedVersions: a.affectedVersions.join('; '), fixedVersions: a.fixedVersions.join('; '),
    sources: a.sightings.map((x) => `${x.source} (${x.publisher}${x.published ? `, ${x.published.slice(0, 10)}` : ''})`).join('; '),
    updateOf: a.updateOf ?? '', changes: a.changes.join(', '),
    passId: a.passId ?? '', digestDate: a.digestDate ?? '', recipients,
  };
}

/** `xpears advisory approve ID [--by NAME]`: releases a held advisory; returns where it went. */
export async function approveAdvisoryCommand(service: AdvisoryService, id: string, by: string): Promise<{ id: string; state: string; recipients: string[] }> {
  requireText(by, '--by');
  const { advisory, recipients } = await service.approve(id, by);
  return { id: advisory.id, state: advisory.state, recipients: recipients.map((r) => `${r.email} (${r.customerId}, ${r.language}, ${r.mode})`) };
}

/** `xpears advisory drop ID --reason TEXT [--by NAME]`: the advisory is kept and never sent. */
export function dropAdvisoryCommand(service: AdvisoryService, id: string, by: string, reason: string): { id: string; state: string; dropReason: string } {
  requireText(by, '--by');
  requireText(reason, '--reason');
  const advisory = service.drop(id, by, reason);
  return { id: advisory.id, state: advisory.state, dropReason: advisory.dropReason ?? reason };
}

/** Printable result of `xpears advisory poll`. */
export interface PollOutput {
  sources: { source: string; outcome: string; items: number; new: number; skipped: number; error: string }[];
  advisories: { id: string; risk: string; riskSource: string; kind: string; vendor: string; state: string; title: string; recipients: string[] }[];
}

/** `xpears advisory poll [--source ID]`: one poll now; what was new, how it was classified, to whom it goes. */
export async function pollAdvisoriesCommand(service: AdvisoryService, opts: { source?: string } = {}): Promise<PollOutput> {
  const report = await service.poll({ sourceId: opts.source });
  return {
    sources: report.sources.map((s) => ({
      source: s.sourceId, outcome: s.outcome, items: s.items, new: s.fresh, skipped: s.skipped,
      error: s.error ? `${s.reason ?? 'error'}: ${s.error}` : '',
    })),
    advisories: report.advisories.map((a) => ({
      id: a.id, risk: a.risk, riskSource: a.riskSource, kind: a.kind, vendor: a.vendor, state: a.state, title: a.title,
      recipients: a.recipients.map((r) => `${r.email} (${r.customerId}, ${r.language}, ${r.mode})`),
    })),
  };
}

/** `xpears advisory sources`: every source with its last outcome, failures first. */
export function advisorySourcesCommand(service: AdvisoryService): Record<string, string | number | boolean>[] {
  return service.sourceStatus()
    .sort((a, b) => b.consecutiveFailures - a.consecutiveFailures || a.sourceId.localeCompare(b.sourceId))
    .map((s) => ({
      source: s.sourceId, vendor: s.vendor, kind: s.kind, enabled: s.enabled, lastOk: s.lastOkAt ?? 'never',
      failures: s.consecutiveFailures, lastError: s.lastError ?? '', lastErrorAt: s.lastErrorAt ?? '',
    }));
}

function oneOf(value: string | undefined, allowed: readonly string[], flag: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value)) throw new XpearsError('INVALID_ARGUMENT', `--${flag} must be one of ${allowed.join(', ')}`);
  return value;
}

function requireText(value: string, flag: string): void {
  if (!value || !value.trim()) throw new XpearsError('INVALID_ARGUMENT', `${flag} is required`);
}
