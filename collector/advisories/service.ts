// The advisory service: polls on each source's schedule, relays, sends the daily digest, and lets an engineer
// list, show, approve and drop. The pipeline, in order: fetch → parse → classify → store → relay → digest.
import type { ScheduledTask } from 'node-cron';
import type { Registry } from 'prom-client';
import type { Dispatcher } from 'undici';
import type { Clock } from '../../lib/clock.js';
import { XpearsError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { NotificationQueue } from '../notify/types.js';
import type { RegistryReader } from '../registry/types.js';
import type { Db } from '../store/db.js';
import type { AdvisoriesConfig } from './config.js';
import { sendDigests, type DigestReport } from './digest.js';
import { createDispatcher } from './fetch.js';
import { createAdvisoryMetrics, type AdvisoryMetrics } from './metrics.js';
import { pollSources, type PollReport } from './poller.js';
import { recipientListsAt } from './recipients.js';
import { deliverPass, openPass, yieldToEventLoop, type RelayDeps } from './relay.js';
import { loggedDigests, scheduleAdvisories } from './schedule.js';
import { AdvisoryStore, type AdvisoryFilter, type Delivery, type RelayPass, type SourceState } from './store.js';
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
  private stopping = false;
  /** Work under way (polls, passes, digests): stop() waits for it, so the database is not closed under it. */
  private readonly work = new Set<Promise<unknown>>();
  /** Passes this process is delivering now: a concurrent relay does not resume them; a digest waits for them. */
  private readonly delivering = new Map<string, Promise<unknown>>();
  private digestRun: Promise<DigestReport> | null = null;

  constructor(private readonly deps: AdvisoryServiceDeps) {
    this.store = new AdvisoryStore(deps.db);
    this.metrics = createAdvisoryMetrics(deps.metrics);
    this.logger = deps.logger.child({ component: 'advisories' });
    this.ownsDispatcher = !deps.fetch?.dispatcher;
    this.dispatcher = deps.fetch?.dispatcher ?? createDispatcher(deps.config);
  }

  /** Polls one source (any, even disabled) or every enabled one, stores what is new and relays what may go. */
  poll(opts: { sourceId?: string; now?: Date } = {}): Promise<PollReport> {
    return this.track(this.pollNow(opts));
  }

  private async pollNow(opts: { sourceId?: string; now?: Date }): Promise<PollReport> {
    const now = opts.now ?? this.deps.clock();
    const { config } = this.deps;
    const sources = opts.sourceId ? config.sources.filter((s) => s.id === opts.sourceId) : config.sources.filter((s) => s.enabled);
    if (opts.sourceId && sources.length === 0) {
      throw new XpearsError('NOT_FOUND', `no advisory source has the id "${opts.sourceId}"`, { known: config.sources.map((s) => s.id) });
    }
    const { results, fresh } = await pollSources(sources, now, {
      store: this.store, config, logger: this.logger, metrics: this.metrics,
      fetchOptions: { userAgent: config.userAgent, timeoutMs: config.timeoutMs, maxRedirects: config.maxRedirects, maxBodyBytes: config.maxBodyBytes, dispatcher: this.dispatcher,
        allowPrivateRedirects: config.allowPrivateRedirects },
    });
    const routed = await this.relay(now);
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

  /** Queues the daily digests that are due at `now`. A call while a run is under way waits for that run and
   *  returns its report. */
  sendDigests(now: Date = this.deps.clock()): Promise<DigestReport> {
    if (this.digestRun) return this.digestRun;
    const run = this.track((async () => {
      // Passes still being delivered first (here, or left open by a crash): a digest made meanwhile could list an
      // advisory that the pass is about to send at once to a customer taking every level at once.
      // (The turn of the loop first: a pass opened in this very turn is registered by then.)
      await yieldToEventLoop();
      while (this.delivering.size > 0) await Promise.allSettled([...this.delivering.values()]);
      await this.relay(now, { newPass: false });
      const report = await sendDigests(now, { ...this.relayDeps(), registry: this.deps.registry });
      this.metrics.digests(report.messages.length);
      return report;
    })());
    this.digestRun = run;
    const clear = (): void => { if (this.digestRun === run) this.digestRun = null; };
    run.then(clear, clear);
    return run;
  }

  /** Schedules each enabled source's polls and the daily digest (node-cron), and sends digests overdue now; the
   *  promise settles when those are queued (a failure is logged, never thrown). */
  start(): Promise<void> {
    if (this.tasks.length > 0) return Promise.resolve();
    const digests = loggedDigests(() => this.sendDigests(), this.logger);
    this.tasks = scheduleAdvisories(this.deps.config, { poll: (sourceId) => this.poll({ sourceId }), digests }, this.logger);
    this.logger.info({ sources: this.tasks.length - 1 }, 'advisory schedules started');
    return digests();
  }

  /** Stops the schedules, ends passes and digests under way at their next chunk (the next start resumes them), waits
   *  for the work under way, and closes the HTTP dispatcher the service created; calling it again does nothing. */
  async stop(): Promise<void> {
    this.stopping = true;
    const tasks = this.tasks;
    this.tasks = [];
    for (const task of tasks) await task.destroy();
    await Promise.allSettled([...this.work]);
    if (this.ownsDispatcher && !this.closed) await this.dispatcher.close();
    this.closed = true;
  }

  /** Stored advisories, newest first. */
  list(filter: AdvisoryFilter = {}): Advisory[] {
    return this.store.list(filter);
  }

  /** One advisory and the deliveries that carried it (its pass's, its digest's); NOT_FOUND if there is none. */
  show(id: string): { advisory: Advisory; deliveries: Delivery[]; digestDone: boolean } {
    const advisory = this.require(id);
    const digestDone = advisory.digestDate !== null && this.store.digestDone(advisory.digestDate);
    return { advisory, deliveries: this.store.deliveriesOf(advisory), digestDone };
  }

  /** Releases a held advisory and relays it now, in a pass of its own. */
  approve(id: string, by: string): Promise<{ advisory: Advisory; recipients: Recipient[] }> {
    const advisory = this.require(id);
    if (advisory.state !== 'held') return Promise.reject(new XpearsError('STATE_CONFLICT', `advisory ${id} is ${advisory.state}, not held`));
    const now = this.deps.clock();
    this.store.setState(id, 'approved', now.toISOString(), by);
    return this.track((async () => {
      const routed = await this.relay(now, { only: id });
      return { advisory: this.require(id), recipients: routed.get(id) ?? [] };
    })());
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

  // One relay: the passes a crash or a stop left open (not those this process is delivering now), then a new pass
  // with everything that may go (only `only` for an approve, which resumes nothing; none when `newPass` is false).
  // Returns who each relayed advisory reaches.
  private async relay(now: Date, opts: { only?: string; newPass?: boolean } = {}): Promise<Map<string, Recipient[]>> {
    const customers = this.deps.registry.listCustomers();
    const deps = this.relayDeps();
    const passes: RelayPass[] = opts.only ? [] : this.store.openPasses().filter((p) => !this.delivering.has(p.id));
    const fresh = opts.newPass === false ? undefined : openPass(now, deps, opts.only);
    if (fresh) {
      this.logger.info({ pass: fresh.id, advisories: fresh.advisories }, 'advisory pass opened');
      passes.push(fresh);
    }
    const reach = recipientListsAt(customers, now);
    const routed = new Map<string, Recipient[]>();
    for (const pass of passes) {
      if (this.stopping) break;
      if (this.delivering.has(pass.id)) continue;
      const delivery = deliverPass(pass, customers, now, deps);
      this.delivering.set(pass.id, delivery);
      try {
        const outcome = await delivery;
        for (const a of outcome.advisories) routed.set(a.id, reach(a));
      } finally {
        this.delivering.delete(pass.id);
      }
    }
    return routed;
  }

  private relayDeps(): RelayDeps {
    return {
      store: this.store, queue: this.deps.queue, config: this.deps.config, logger: this.logger,
      onDelivered: (mode, n) => this.metrics.routed(mode, n), batchQueueWrites: this.deps.queueSharesDb ?? true,
      stopping: () => this.stopping,
    };
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.work.add(promise);
    const done = (): void => { this.work.delete(promise); };
    promise.then(done, done);
    return promise;
  }

  private require(id: string): Advisory {
    const advisory = this.store.get(id);
    if (!advisory) throw new XpearsError('NOT_FOUND', `no advisory has the id "${id}"`);
    return advisory;
  }
}
