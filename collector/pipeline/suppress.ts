// The suppress stage: where maintenance windows and silences will drop events before they reach a ticket (the
// noise-control issue). Until then it lets every triaged event through unchanged.
import type { Stage } from './types.js';

/** Lets the batch's triaged events through: nothing is suppressed yet. */
export const suppressStage: Stage<readonly unknown[]> = {
  name: 'suppress',
  run() {
    // A pass-through: batch.triaged stays as triage left it.
  },
};
