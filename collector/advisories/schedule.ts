// The advisory service's schedules (node-cron, in the digest's zone, a run never overlapping itself): each enabled
// source's polls and the daily digest. A failed run is logged, never thrown: the next tick tries again.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../../lib/logger.js';
import type { AdvisoriesConfig } from './config.js';

/** What the schedules run: a poll of one source, and the digests due now (already logging its own failure). */
export interface AdvisoryJobs {
  poll: (sourceId: string) => Promise<unknown>;
  digests: () => Promise<void>;
}

/** The digest run as the schedule and start() call it: a failure is logged, never thrown. */
export function loggedDigests(sendDigests: () => Promise<unknown>, logger: Logger): () => Promise<void> {
  return async () => {
    try {
      await sendDigests();
    } catch (err) {
      logger.error({ err }, 'advisory digest failed');
    }
  };
}

/** Schedules each enabled source's polls, then the daily digest; returns the tasks (the digest's last). */
export function scheduleAdvisories(config: AdvisoriesConfig, jobs: AdvisoryJobs, logger: Logger): ScheduledTask[] {
  const tasks: ScheduledTask[] = [];
  for (const source of config.sources.filter((s) => s.enabled)) {
    tasks.push(cron.schedule(source.schedule, async () => {
      try {
        await jobs.poll(source.id);
      } catch (err) {
        logger.error({ source: source.id, err }, 'advisory poll failed');
      }
    }, { name: `advisories:${source.id}`, noOverlap: true, timezone: config.digest.zone }));
  }
  tasks.push(cron.schedule(`0 ${config.digest.hour} * * *`, jobs.digests, { name: 'advisories:digest', noOverlap: true, timezone: config.digest.zone }));
  return tasks;
}
