// The triage stage: a pure function from one event and the ordered rules to an outcome and the rule that decided it.
// No clock, no store, no logger: the same event and rules always give the same answer, so it is tested with tables.
import type { ActionTaken, ParsedEvent } from '../../protocol/event.js';
import type { Outcome, TriageRule, TriageRules } from './rules.js';

/** The rule an event falls to when no rule matches: nothing is opened, the monthly report still counts it. */
export const UNMATCHED_RULE: TriageRule = Object.freeze({
  name: 'unmatched',
  description: 'No rule matched: counted in the monthly report, no ticket.',
  match: {},
  outcome: 'report-only',
  dedup: { key: ['customer', 'eventType'], windowMinutes: 60 },
}) as TriageRule;

/** What triage decided, and which rule decided it (the ticket records the rule's name). */
export interface TriageResult {
  outcome: Outcome;
  rule: TriageRule;
}

const HANDLED_ACTIONS: ReadonlySet<ActionTaken> = new Set(['cleaned', 'quarantined', 'deleted', 'blocked']);
const UNHANDLED_ACTIONS: ReadonlySet<ActionTaken> = new Set(['left-alone', 'failed']);

/** Whether the product dealt with the event: the parser's word first, then what the action says; undefined when unknown. */
export function wasHandled(event: ParsedEvent): boolean | undefined {
  if (event.handled !== undefined) return event.handled;
  if (event.action && HANDLED_ACTIONS.has(event.action)) return true;
  if (event.action && UNHANDLED_ACTIONS.has(event.action)) return false;
  return undefined;
}

/** Whether one rule's match block accepts the event; every condition given must hold (an empty block matches all). */
export function ruleMatches(rule: TriageRule, event: ParsedEvent): boolean {
  const m = rule.match;
  if (m.vendor && !m.vendor.includes(event.vendor)) return false;
  if (m.eventType && !m.eventType.includes(event.eventType)) return false;
  if (m.severity && !m.severity.includes(event.severity)) return false;
  // An unknown outcome matches neither `handled: true` nor `handled: false`: a later rule decides.
  if (m.handled !== undefined && wasHandled(event) !== m.handled) return false;
  if (m.countAtLeast !== undefined && (event.count ?? 1) < m.countAtLeast) return false;
  if (m.computersAtLeast !== undefined && (event.computersAffected ?? 0) < m.computersAtLeast) return false;
  if (m.computer) {
    const name = event.computer?.name;
    if (name === undefined) return false;
    m.computer.lastIndex = 0;
    if (!m.computer.test(name)) return false;
  }
  if (m.summary) {
    m.summary.lastIndex = 0;
    if (!m.summary.test(event.summary)) return false;
  }
  return true;
}

/** Classifies an event: the first rule that matches wins; none matching means report-only (UNMATCHED_RULE). */
export function triage(event: ParsedEvent, rules: TriageRules): TriageResult {
  for (const rule of rules) {
    if (ruleMatches(rule, event)) return { outcome: rule.outcome, rule };
  }
  return { outcome: UNMATCHED_RULE.outcome, rule: UNMATCHED_RULE };
}
