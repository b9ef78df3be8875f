// The correlate stage: the triaged events are grouped by their dedup key (collector/tickets/correlate.ts), so the
// events of one key are handled together by the ticket stage: a flood of one alert is one ticket write, not one per event.
import { dedupKey } from '../tickets/correlate.js';
import type { Stage, TriagedEvent } from './types.js';

/** Adds one triaged event to the work of its dedup key (a new key's work goes last). */
export const correlateStage: Stage<TriagedEvent> = {
  name: 'correlate',
  run({ index, rule, caseKind }, batch) {
    const event = batch.events[index]!;
    const key = dedupKey(event, event.customerId, rule);
    const work = batch.keys.get(key);
    if (work) work.indexes.push(index);
    else batch.keys.set(key, { key, rule, caseKind, indexes: [index] });
  },
};
