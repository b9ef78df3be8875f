// The ledger of scheduled work: which job ran for which period (a month's reports, a day's prune). A schedule looks
// here at start-up and on every tick and runs what is due and not done, so a job whose minute passed while the
// collector was down runs when it is back, and a restart never runs it twice.
import type { Db, Migration } from '../store/db.js';

/** The ledger's table. */
export const scheduleMigrations: readonly Migration[] = [{
  id: 'schedule/001-runs',
  up(db) {
    db.exec(`CREATE TABLE schedule_runs (
      job TEXT NOT NULL,
      period TEXT NOT NULL,
      done_at TEXT NOT NULL,
      detail TEXT,
      PRIMARY KEY (job, period)
    ) WITHOUT ROWID`);
  },
}];

/** Which periods of which jobs are done. */
export class ScheduleLedger {
  constructor(private readonly db: Db) {}

  /** Whether `job` is done for `period`. */
  done(job: string, period: string): boolean {
    return this.db.prepare('SELECT 1 FROM schedule_runs WHERE job = ? AND period = ?').pluck().get(job, period) !== undefined;
  }

  /** Records `job` done for `period` (once: a second call keeps the first record). */
  markDone(job: string, period: string, at: Date, detail?: unknown): void {
    this.db.prepare('INSERT INTO schedule_runs (job, period, done_at, detail) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(job, period, at.toISOString(), detail === undefined ? null : JSON.stringify(detail));
  }

  /** The periods of `job` done, newest first (status and tests). */
  periods(job: string, limit = 24): string[] {
    return this.db.prepare('SELECT period FROM schedule_runs WHERE job = ? ORDER BY period DESC LIMIT ?').pluck().all(job, limit) as string[];
  }
}
