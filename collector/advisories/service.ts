// The advisory service: polls on each source's schedule, relays, sends the daily digest, and lets an engineer
// list, show, approve and drop. The pipeline, in order: fetch → parse → classify → store → relay → digest.
import cron, { type ScheduledTask } from 'node-cron';
import type { Registry } from 'prom-client';
import type { Dispatcher } from 'undici';
import type { Clock } from '../../lib/clock.js';
import { XpearsError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { registerTemplates } from '../notify/template.js';
import type { NotificationQueue } from '../notify/types.js';
import type { RegistryReader } from '../registry/types.js';
import { migrate, type Db } from '../store/db.js';
import type { AdvisoriesConfig } from './config.js';
import { sendDigests, type DigestReport } from './digest.js';
import { createDispatcher } from './fetch.js';
import { createAdvisoryMetrics, type AdvisoryMetrics } from './metrics.js';
import { pollSources, type PollReport } from './poller.js';
import { relayAdvisories } from './relay.js';
import { AdvisoryStore, migrations, type AdvisoryFilter, type RelayRecord, type SourceState } from './store.js';
import { advisoryTemplates } from './templates.js';
import type { Advisory, Recipient } from './types.js';

/** What the service is built from. */
export interface AdvisoryServiceDeps {
  db: Db;
  clock: Clock;
  registry: RegistryReader;
  queue: NotificationQueue;
  config: AdvisoriesConfig;
  logger: Logger;
  /** HTTP: a dispatcher to use instead of the one the configuration implies (its proxy, its timeout). */
  fetch?: { dispatcher?: Dispatcher };
  /** Prometheus registry for the advisory metrics. */
  metrics?: Registry;
  /** The queue writes through this same `db` handle (the collector's wiring): batch its writes with ours. Default
   *  true. Set false when the queue has its own connection, or our transaction would wait on its write lock. */
  queueSharesDb?: boolean;
}

/** A source as `sourceStatus()` shows it: its configuration and how its last polls went. */
export interface SourceStatus extends Omit<SourceState, 'etag' | 'lastModified'> {
  vendor: string;
  kind: string;
  url: string;
  enabled: boolean;
  schedule: string;
}

/** Polls, relays and digests advisories; one instance per collector process. */
export class AdvisoryService {
  private readonly store: AdvisoryStore;
  private readonly metrics: AdvisoryMetrics;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly logger: Logger;
  private tasks: ScheduledTask[] = [];
  private closed = false;

  constructor(private readonly deps: AdvisoryServiceDeps) {
    migrate(deps.db, migrations);
    registerTemplates(advisoryTemplates);
    this.store = new AdvisoryStore(deps.db);
    this.metrics = createAdvisoryMetrics(deps.metrics);
    this.logger = deps.logger.child({ component: 'advisories' });
    this.ownsDispatcher = !deps.fetch?.dispatcher;
    this.dispatcher = deps.fetch?.dispatcher ?? createDispatcher(deps.config);
  }

  /** Polls one source (any, even disabled) or every enabled one, stores what is new and relays what may go. */
  async poll(opts: { sourceId?: string; now?: Date } = {}): Promise<PollReport> {
    const now = opts.now ?? this.deps.clock();
    const { config } = this.deps;
    const sources = opts.sourceId ? config.sources.filter((s) => s.id === opts.sourceId) : config.sources.filter((s) => s.enabled);
    if (opts.sourceId && sources.length === 0) {
      throw new XpearsError('NOT_FOUND', `no advisory source has the id "${opts.sourceId}"`, { known: config.sources.map((s) => s.id) });
    }
    const { results, fresh } = await pollSources(sources, now, {
      store: this.store, config, logger: this.logger, metrics: this.metrics,
      fetchOptions: { userAgent: config.userAgent, timeoutMs: config.timeoutMs, maxRedirects: config.maxRedirects, maxBodyBytes: config.maxBodyBytes, dispatcher: this.dispatcher },
    });
    const routed = this.relayAwaiting(now);
    const freshIds = new Set(fresh.map((a) => a.id));
    // Advisories relayed now that were stored by an earlier poll (one interrupted by a crash) are reported too.
    const reported = [...fresh, ...[...routed.keys()].filter((id) => !freshIds.has(id)).flatMap((id) => this.store.get(id) ?? [])];
    return {
      at: now.toISOString(),
      sources: results,
      advisories: reported.map((a) => {
        const current = this.store.get(a.id) ?? a;
        return {
          id: a.id, source: a.source, title: a.title, vendor: a.vendor, kind: a.kind, risk: a.risk,
          riskSource: a.riskSource, state: current.state, recipients: routed.get(a.id) ?? [],
        };
      }),
    };
  }

  /** Queues the daily digests that are due at `now`. */
  sendDigests(now: Date = this.deps.clock()): DigestReport {
    const report = sendDigests(now, { ...this.deps, store: this.store, logger: this.logger, batchQueueWrites: this.deps.queueSharesDb ?? true });
    this.metrics.digests(report.messages.length);
    return report;
  }

  /** Schedules each enabled source's polls and the daily digest (node-cron), and sends digests overdue now. */
  start(): void {
    if (this.tasks.length > 0) return;
    const { config } = this.deps;
    for (const source of config.sources.filter((s) => s.enabled)) {
      this.tasks.push(cron.schedule(source.schedule, async () => {
        try {
          await this.poll({ sourceId: source.id });
        } catch (err) {
          this.logger.error({ source: source.id, err }, 'advisory poll failed');
        }
      }, { name: `advisories:${source.id}`, noOverlap: true, timezone: config.digest.zone }));
    }
    this.tasks.push(cron.schedule(`0 ${config.digest.hour} * * *`, () => {
      try {
        this.sendDigests();
      } catch (err) {
        this.logger.error({ err }, 'advisory digest failed');
      }
    }, { name: 'advisories:digest', noOverlap: true, timezone: config.digest.zone }));
    this.sendDigests();
    this.logger.info({ sources: this.tasks.length - 1 }, 'advisory schedules started');
  }

  /** Stops the schedules and closes the HTTP dispatcher the service created; calling it again does nothing. */
  async stop(): Promise<void> {
    const tasks = this.tasks;
    this.tasks = [];
    for (const task of tasks) await task.destroy();
    if (this.ownsDispatcher && !this.closed) await this.dispatcher.close();
    this.closed = true;
  }

  /** Stored advisories, newest first. */
  list(filter: AdvisoryFilter = {}): Advisory[] {
    return this.store.list(filter);
  }

  /** One advisory and where it went; NOT_FOUND if there is none with that id. */
  show(id: string): { advisory: Advisory; relays: RelayRecord[] } {
    return { advisory: this.require(id), relays: this.store.relaysOf(id) };
  }

  /** Releases a held advisory and relays it now. */
  approve(id: string, by: string): { advisory: Advisory; recipients: Recipient[] } {
    const advisory = this.require(id);
    if (advisory.state !== 'held') throw new XpearsError('STATE_CONFLICT', `advisory ${id} is ${advisory.state}, not held`);
    const now = this.deps.clock();
    this.store.setState(id, 'approved', now.toISOString(), by);
    const routed = relayAdvisories([this.require(id)], this.deps.registry.listCustomers(), now, this.relayDeps());
    return { advisory: this.require(id), recipients: routed.get(id) ?? [] };
  }

  /** Drops a new or held advisory: it is kept, never sent. */
  drop(id: string, by: string, reason: string): Advisory {
    const advisory = this.require(id);
    if (advisory.state !== 'held' && advisory.state !== 'new') {
      throw new XpearsError('STATE_CONFLICT', `advisory ${id} is ${advisory.state}: only new or held advisories can be dropped`);
    }
    this.store.setState(id, 'dropped', this.deps.clock().toISOString(), by, reason);
    return this.require(id);
  }

  /** Every configured source with its last poll's outcome. */
  sourceStatus(): SourceStatus[] {
    return this.deps.config.sources.map((s) => {
      const { etag: _e, lastModified: _l, ...state } = this.store.sourceState(s.id);
      return { ...state, vendor: s.vendor, kind: s.kind, url: s.url, enabled: s.enabled, schedule: s.schedule };
    });
  }

  // Everything that may go, including advisories or queue steps a crashed process left halfway.
  private relayAwaiting(now: Date): Map<string, Recipient[]> {
    return relayAdvisories(this.store.awaitingRelay(), this.deps.registry.listCustomers(), now, this.relayDeps());
  }

  private relayDeps() {
    return {
      store: this.store, queue: this.deps.queue, config: this.deps.config, logger: this.logger,
      onRouted: (m: Recipient['mode']) => this.metrics.routed(m), batchQueueWrites: this.deps.queueSharesDb ?? true,
    };
  }

  private require(id: string): Advisory {
    const advisory = this.store.get(id);
    if (!advisory) throw new XpearsError('NOT_FOUND', `no advisory has the id "${id}"`);
    return advisory;
  }
}
