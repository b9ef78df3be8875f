// Triage rules are data: an ordered list, first match wins, each rule naming the outcome and how repeats fold into
// one ticket. Validated strictly at start-up (unknown keys, bad patterns, duplicate names fail with their path).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { EVENT_TYPES, SEVERITIES, VENDORS } from '../../protocol/event.js';
import { XpearsError } from '../../lib/errors.js';

/** What triage decides for an event: a ticket of one of the case kinds, or only a line in the monthly report. */
export const OUTCOMES = ['threat-incident', 'severity-1', 'severity-2', 'severity-3', 'severity-4', 'report-only'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The event fields a dedup key may be built from ("customer" is the tenant the token gave, never the payload). */
export const DEDUP_FIELDS = [
  'customer', 'agent', 'vendor', 'product', 'eventType', 'severity',
  'threat.name', 'threat.type', 'threat.hash', 'threat.object',
  'computer.name', 'computer.ip', 'computer.user', 'computer.domain',
] as const;
export type DedupField = (typeof DEDUP_FIELDS)[number];

// From the sources (collector/triage/) or from the build (dist/collector/triage/): tsc does not copy YAML into dist.
const SHIPPED = ['../../config/rules.default.yaml', '../../../config/rules.default.yaml']
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)));

/** Path of the rules shipped with the product. */
export const DEFAULT_RULES_PATH = SHIPPED.find((p) => existsSync(p)) ?? (SHIPPED[0] as string);

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

// "SRV-*" is a glob (case-insensitive, * and ?, whole text); "/^srv-\d+$/i" is a regular expression with its flags.
function compilePattern(pattern: string, ctx: z.RefinementCtx): RegExp {
  const re = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  try {
    if (re) return new RegExp(re[1] ?? '', re[2]);
    const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp(`^${escaped}$`, 'i');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a valid pattern: ${(err as Error).message}` });
    return z.NEVER;
  }
}

const severityMatch = z.union([
  z.array(z.enum(SEVERITIES)).min(1),
  z.strictObject({ min: z.enum(SEVERITIES) }),
]).transform((v) => {
  if (Array.isArray(v)) return v;
  // SEVERITIES runs from the most to the least urgent: "min: high" means high or critical.
  return SEVERITIES.slice(0, SEVERITIES.indexOf(v.min) + 1);
});

const matchSchema = z.strictObject({
  vendor: oneOrMany(z.enum(VENDORS)).optional(),
  eventType: oneOrMany(z.enum(EVENT_TYPES)).optional(),
  severity: severityMatch.optional(),
  handled: z.boolean().optional(),
  countAtLeast: z.number().int().positive().optional(),
  computersAtLeast: z.number().int().positive().optional(),
  computer: z.string().min(1).transform(compilePattern).optional(),
  /** The event's one-line summary; a regex ("/over.?deploy/i") or an anchored glob ("*exceeded*"). */
  summary: z.string().min(1).transform(compilePattern).optional(),
});

const dedupSchema = z.strictObject({
  key: z.array(z.enum(DEDUP_FIELDS)).min(1)
    .refine((k) => new Set(k).size === k.length, 'a field is listed twice'),
  windowMinutes: z.number().int().positive().max(60 * 24 * 90),
});

const ruleSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-" (the ticket records it)'),
  description: z.string().optional(),
  match: matchSchema.prefault({}),
  outcome: z.enum(OUTCOMES),
  // Report-only rules open nothing, so their key only groups counts; a per-type key per customer is enough.
  dedup: dedupSchema.default({ key: ['customer', 'eventType'], windowMinutes: 60 }),
});

/** The rules file: `{ rules: [...] }`, ordered, names unique. */
export const triageRulesSchema = z.strictObject({
  rules: z.array(ruleSchema).min(1),
}).superRefine((file, ctx) => {
  const seen = new Set<string>();
  file.rules.forEach((rule, i) => {
    if (seen.has(rule.name)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `"${rule.name}" is used twice` });
    seen.add(rule.name);
  });
});

/** One validated rule, patterns compiled. */
export type TriageRule = z.output<typeof ruleSchema>;
/** The validated rule list, in order. */
export type TriageRules = readonly TriageRule[];
/** A rules file as a person writes it. */
export type TriageRulesInput = z.input<typeof triageRulesSchema>;

/** Validates a parsed rules document; throws CONFIG_INVALID listing every problem with its dotted path. */
export function parseTriageRules(input: unknown, source = 'rules'): TriageRules {
  const result = triageRulesSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${[source, ...i.path.map(String)].join('.')}: ${i.message}`);
    throw new XpearsError('CONFIG_INVALID', `triage rules are not valid:\n  ${problems.join('\n  ')}`, problems);
  }
  return Object.freeze(result.data.rules.map((r) => Object.freeze(r)));
}

/** Reads and validates a rules file (YAML or JSON; YAML is a superset). Default: the shipped rules. */
export function loadTriageRules(path: string = DEFAULT_RULES_PATH): TriageRules {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new XpearsError('CONFIG_NOT_FOUND', `the triage rules file ${path} was not found`);
  }
  return parseTriageRules(parseYaml(text), path);
}
