// The triage stage's public face: rules (schema, loading, defaults) and the pure classifier.
export { OUTCOMES, DEDUP_FIELDS, DEFAULT_RULES_PATH, triageRulesSchema, parseTriageRules, loadTriageRules,
  type Outcome, type DedupField, type TriageRule, type TriageRules, type TriageRulesInput } from './rules.js';
export { triage, ruleMatches, wasHandled, UNMATCHED_RULE, type TriageResult } from './triage.js';
export { rulesTest, formatRulesTest, type RulesTestResult } from './commands.js';
