// `xpears rules test FILE`: which rule each event of a file hits. A plain function the CLI calls; it never exits.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ACTIONS, EVENT_TYPES, SEVERITIES, VENDORS, type ParsedEvent } from '../../protocol/event.js';
import { XpearsError } from '../../lib/errors.js';
import type { Outcome, TriageRules } from './rules.js';
import { triage } from './triage.js';

// Enough of ParsedEvent to triage; other fields pass through, so a stored event or a parser's output both work.
const eventSchema = z.looseObject({
  vendor: z.enum(VENDORS),
  eventType: z.enum(EVENT_TYPES),
  severity: z.enum(SEVERITIES),
  summary: z.string().default(''),
  occurredAt: z.string().default(''),
  format: z.string().default('rules-test'),
  action: z.enum(ACTIONS).optional(),
  handled: z.boolean().optional(),
  count: z.number().int().nonnegative().optional(),
  computersAffected: z.number().int().nonnegative().optional(),
  computer: z.looseObject({ name: z.string().optional() }).optional(),
});

/** One line of the answer: the event (by position and summary) and the rule it hit. */
export interface RulesTestResult {
  index: number;
  eventType: string;
  summary: string;
  outcome: Outcome;
  rule: string;
}

/** Reads FILE (one ParsedEvent in JSON, or an array of them) and triages each event with the rules given. */
export function rulesTest(file: string, rules: TriageRules): RulesTestResult[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'CONFIG_NOT_FOUND' : 'INVALID_ARGUMENT';
    throw new XpearsError(code, `${file}: ${(err as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((item, index) => {
    const result = eventSchema.safeParse(item);
    if (!result.success) {
      const where = result.error.issues.map((i) => `[${index}].${i.path.join('.')}: ${i.message}`).join('; ');
      throw new XpearsError('INVALID_ARGUMENT', `${file}: not an event: ${where}`);
    }
    const event = result.data as unknown as ParsedEvent;
    const { outcome, rule } = triage(event, rules);
    return { index, eventType: event.eventType, summary: event.summary, outcome, rule: rule.name };
  });
}

/** The answer as lines a person reads: "#0 ransomware → threat-incident (rule ransomware)  summary". */
export function formatRulesTest(results: readonly RulesTestResult[]): string {
  return results
    .map((r) => `#${r.index} ${r.eventType} → ${r.outcome} (rule ${r.rule})${r.summary ? `  ${r.summary}` : ''}`)
    .join('\n');
}
