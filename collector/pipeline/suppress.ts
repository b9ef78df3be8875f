// The suppress stage: maintenance windows and silences (collector/noise/, docs/noise.md). An event of the batch
// inside an open window is marked with the window (it stays stored and counts in the monthly report); a triaged
// event inside a window or matching an active silence is marked with it and goes no further: no ticket, no mail.
import type { Suppression } from '../noise/store.js';
import { suppressorOf } from '../noise/match.js';
import { noiseOf } from '../noise/context.js';
import type { PipelineBatch, PipelineContext, Stage, TriagedEvent } from './types.js';

// Marks every event in an open window (report-only ones too) and returns what suppressed each triaged one.
function suppressors(batch: PipelineBatch, ctx: PipelineContext): Map<number, Suppression> {
  const { store } = noiseOf(ctx);
  const windows = store.windows();
  const silences = store.silences(batch.now);
  const found = new Map<number, Suppression>();
  if (windows.length === 0 && silences.length === 0) return found;
  const rules = new Map(batch.triaged.map((t) => [t.index, t.rule.name]));
  batch.events.forEach((event, index) => {
    const customer = ctx.service.deps.registry.getCustomer(event.customerId);
    const rule = rules.get(index);
    // A silence covers only events that would open a ticket; a window marks every event it covers.
    const s = suppressorOf(event, rule, batch.now, windows, rule === undefined ? [] : silences, customer);
    if (!s) return;
    store.recordSuppression(event.id, event.customerId, s, batch.now);
    found.set(index, s);
  });
  return found;
}

/** Drops from `batch.triaged` the events a window or silence covers, recording which one on each. */
export const suppressStage: Stage<TriagedEvent[]> = {
  name: 'suppress',
  run(triaged, batch, ctx) {
    const found = suppressors(batch, ctx);
    if (found.size === 0) return;
    const kept = triaged.filter((t) => {
      const s = found.get(t.index);
      if (!s) return true;
      batch.outcomes[t.index] = { outcome: t.caseKind, rule: t.rule.name, ticket: null, created: false, suppressedBy: s };
      ctx.log.info({ eventId: batch.events[t.index]!.id, suppressedBy: s.ref, kind: s.kind }, 'event suppressed');
      return false;
    });
    triaged.splice(0, triaged.length, ...kept);
  },
};
