// One poll: fetch the selected sources side by side (one failing or slow never holds the others), parse, classify,
// store what is new, then relay everything that may go. The instant is taken once by the caller and passed down.
import type { Logger } from '../../lib/logger.js';
import type { AdvisorySource, AdvisoriesConfig } from './config.js';
import { classify, passesProductFilter } from './classify.js';
import { fetchSource, type FetchOptions } from './fetch.js';
import type { AdvisoryMetrics } from './metrics.js';
import { parseFeed } from './parse.js';
import { yieldToEventLoop } from './relay.js';
import { storeItem } from './merge.js';
import { unrecognizedProducts } from './products.js';
import type { AdvisoryStore } from './store.js';
import type { Advisory, AdvisoryKind, AdvisoryState, FeedItem, Recipient, RiskLevel, RiskSource } from './types.js';

/** How one source fared in a poll. */
export interface SourcePollResult {
  sourceId: string;
  outcome: 'ok' | 'not-modified' | 'error';
  items: number;
  fresh: number;
  /** Items of a generic source that concern none of our vendors, or that the product filter left out. */
  skipped: number;
  error?: string;
  reason?: string;
}

/** One advisory a poll found new (or relayed from earlier, e.g. after a crash), with where it goes. */
export interface PolledAdvisory {
  id: string;
  source: string;
  title: string;
  vendor: string;
  kind: AdvisoryKind;
  risk: RiskLevel;
  riskSource: RiskSource;
  state: AdvisoryState;
  recipients: Recipient[];
}

/** What a poll did: per source, and per advisory. */
export interface PollReport {
  at: string;
  sources: SourcePollResult[];
  advisories: PolledAdvisory[];
}

/** What a poll needs. */
export interface PollDeps {
  store: AdvisoryStore;
  config: AdvisoriesConfig;
  logger: Logger;
  metrics: AdvisoryMetrics;
  fetchOptions: FetchOptions;
}

type Fetched = { source: AdvisorySource } & (
  | { outcome: 'ok'; items: FeedItem[]; etag: string | null; lastModified: string | null }
  | { outcome: 'not-modified' }
  | { outcome: 'error'; error: string; reason: string }
);

async function fetchAndParse(source: AdvisorySource, deps: PollDeps): Promise<Fetched> {
  try {
    const state = deps.store.sourceState(source.id);
    const got = await fetchSource(source, state, deps.fetchOptions);
    if (got.status === 'not-modified') return { source, outcome: 'not-modified' };
    const items = await parseFeed(source.kind, got.text);
    return { source, outcome: 'ok', items, etag: got.etag, lastModified: got.lastModified };
  } catch (err) {
    const reason = (err as { reason?: string }).reason ?? (err as Error).name ?? 'unknown';
    return { source, outcome: 'error', error: (err as Error).message, reason };
  }
}

/** Fetches, parses, classifies and stores the sources' items; returns per-source results and the new advisories. */
export async function pollSources(sources: readonly AdvisorySource[], now: Date, deps: PollDeps): Promise<{ results: SourcePollResult[]; fresh: Advisory[] }> {
  const fetched = await Promise.all(sources.map((s) => fetchAndParse(s, deps)));
  const at = now.toISOString();
  const results: SourcePollResult[] = [];
  const fresh: Advisory[] = [];
  for (const [i, f] of fetched.entries()) {
    // One source's items per turn of the event loop: storing a poll's thousand items must not stall ingest.
    if (i > 0) await yieldToEventLoop();
    deps.metrics.fetched(f.source.id, f.outcome);
    if (f.outcome === 'error') {
      deps.store.recordFetchError(f.source.id, at, `${f.reason}: ${f.error}`);
      const state = deps.store.sourceState(f.source.id);
      deps.metrics.failures(f.source.id, state.consecutiveFailures);
      deps.logger.warn({ source: f.source.id, reason: f.reason, err: f.error, failures: state.consecutiveFailures }, 'advisory source failed');
      results.push({ sourceId: f.source.id, outcome: 'error', items: 0, fresh: 0, skipped: 0, error: f.error, reason: f.reason });
      continue;
    }
    deps.metrics.failures(f.source.id, 0);
    if (f.outcome === 'not-modified') {
      deps.store.recordFetchOk(f.source.id, at, { items: 0, fresh: 0 });
      results.push({ sourceId: f.source.id, outcome: 'not-modified', items: 0, fresh: 0, skipped: 0 });
      continue;
    }
    let skipped = 0;
    const before = fresh.length;
    const unrecognized: Advisory[] = [];
    deps.store.transaction(() => {
      for (const item of f.items) {
        const classification = passesProductFilter(item, f.source.productFilter) ? classify(item, f.source) : undefined;
        if (!classification) {
          skipped += 1;
          continue;
        }
        const stored = storeItem(item, classification, f.source, now, deps.store, deps.config);
        if (stored.kind !== 'new' && stored.kind !== 'update') continue;
        deps.metrics.stored(f.source.id, stored.advisory.risk);
        fresh.push(stored.advisory);
        if (stored.advisory.state !== 'dropped' && unrecognizedProducts(stored.advisory).length > 0) unrecognized.push(stored.advisory);
      }
      deps.store.recordFetchOk(f.source.id, at, { etag: f.etag, lastModified: f.lastModified, items: f.items.length, fresh: fresh.length - before });
    });
    logUnrecognized(f.source.id, unrecognized, deps.logger);
    results.push({ sourceId: f.source.id, outcome: 'ok', items: f.items.length, fresh: fresh.length - before, skipped });
  }
  return { results, fresh };
}

/** Lines per source and poll naming an advisory whose products match no family; past them, one line counts the rest. */
const UNRECOGNIZED_LINES = 3;

// An advisory whose products are all unknown goes to every holder of its vendor: said once, when it is stored, at a
// bounded rate (a few lines per source and poll, the rest counted), so that the alias table can be completed.
function logUnrecognized(sourceId: string, advisories: readonly Advisory[], logger: Logger): void {
  for (const a of advisories.slice(0, UNRECOGNIZED_LINES)) {
    logger.warn({ source: sourceId, advisory: a.id, title: a.title.slice(0, 200), vendor: a.vendor, products: unrecognizedProducts(a).map((p) => p.slice(0, 120)) },
      'advisory names no known product family: relayed to every holder of the vendor');
  }
  if (advisories.length > UNRECOGNIZED_LINES) {
    logger.warn({ source: sourceId, more: advisories.length - UNRECOGNIZED_LINES }, 'more advisories name no known product family (xpears advisory list shows them)');
  }
}
