// The triage stage: each stored event is classified by the ordered rules (collector/triage/triage.ts). A report-only
// event is done here (counted in the monthly report, no ticket); the others go on to suppress and correlate.
import { triage } from '../triage/triage.js';
import type { BatchEvent, Stage } from './types.js';

/** Classifies one event; report-only events get their outcome now. */
export const triageStage: Stage<BatchEvent> = {
  name: 'triage',
  run({ event, index }, batch, ctx) {
    const { outcome, rule } = triage(event, ctx.service.deps.rules);
    if (outcome === 'report-only') batch.outcomes[index] = { outcome, rule: rule.name, ticket: null, created: false };
    else batch.triaged.push({ index, rule, caseKind: outcome });
  },
};
