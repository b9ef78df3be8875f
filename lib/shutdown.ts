// Clean stop on SIGTERM/SIGINT for a long-running process (the agent, the collector): the first signal runs the
// process's stop (stop accepting, finish and answer what is in flight, flush, close) and exits 0 once it finished;
// a stop that fails or outlasts the grace period exits 1, and a second signal exits 1 at once. A timer holds the
// event loop open while stopping, so a stop awaiting an unref'd handle (a worker, a timer) cannot empty the loop
// and end the process with Node's "unsettled top-level await" code 13.
import type { Logger } from './logger.js';

/** How long a stop may take before the process exits anyway (documented in docs/operations.md). */
export const SHUTDOWN_GRACE_MS = 25_000;

/** What exitOnSignal needs. */
export interface ShutdownOptions {
  logger: Logger;
  graceMs?: number;
  /** Exits the process; a parameter for tests. */
  exit?: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
}

/** Waits for SIGINT or SIGTERM, runs `stop` once and exits; resolves only if `exit` returns (tests). */
export function exitOnSignal(stop: () => Promise<void>, opts: ShutdownOptions): Promise<number> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const signals = opts.signals ?? ['SIGINT', 'SIGTERM'];
  const graceMs = opts.graceMs ?? SHUTDOWN_GRACE_MS;
  return new Promise((resolve) => {
    let stopping = false;
    let deadline: NodeJS.Timeout | undefined;
    const finish = (code: number) => {
      clearTimeout(deadline);
      for (const s of signals) process.off(s, onSignal);
      resolve(code);
      exit(code);
    };
    function onSignal(signal: NodeJS.Signals): void {
      if (stopping) {
        opts.logger.error({ signal }, 'second signal: exiting without finishing the stop');
        finish(1);
        return;
      }
      stopping = true;
      opts.logger.info({ signal, graceMs }, 'signal received: stopping');
      deadline = setTimeout(() => {
        opts.logger.error({ graceMs }, 'stop did not finish in time: exiting');
        finish(1);
      }, graceMs);
      stop().then(() => {
        opts.logger.info('stopped cleanly');
        finish(0);
      }, (err: unknown) => {
        opts.logger.error({ err }, 'stop failed');
        finish(1);
      });
    }
    for (const s of signals) process.on(s, onSignal);
  });
}

/** Runs each named step of a stop in order; a step that throws is logged and the next ones still run. */
export async function stopInOrder(logger: Logger, steps: readonly [string, () => unknown][]): Promise<void> {
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (err) {
      logger.warn({ step: name, err: (err as Error).message }, 'a part did not stop cleanly');
    }
  }
}
