// The default rules against what the real parsers make of the shared fixtures: the mapping an operator will see.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../protocol/envelope.js';
import { parseEnvelope } from '../parse/index.js';
import { loadTriageRules } from './rules.js';
import { triage } from './triage.js';

const rules = loadTriageRules();
const fixture = (name: string): Envelope =>
  (JSON.parse(readFileSync(fileURLToPath(new URL(`../../test/fixtures/${name}.json`, import.meta.url)), 'utf8')) as { envelope: Envelope }).envelope;

describe('default rules on parsed fixtures', () => {
  const table: [string, string, string][] = [
    ['eset/01-json-threat-quarantined-bsd', 'report-only', 'threat-handled'],
    ['eset/04-json-ransomware-occurred-spelling', 'threat-incident', 'ransomware'],
    ['eset/05-json-threat-cleaning-failed', 'threat-incident', 'threat-not-cleaned'],
    ['eset/07-json-firewall-botnet', 'threat-incident', 'network-attack-critical'],
    ['eset/15-json-inspect-new-name-mojibake-bom', 'threat-incident', 'edr-critical'],
    ['eset/27-text-en-threshold-elastic', 'threat-incident', 'outbreak'],
    ['eset/43-email-text-en-outdated-modules', 'severity-3', 'definitions-outdated'],
    ['eset/44-email-html-es-not-connected', 'severity-1', 'mass-loss-of-protection'],
    ['eset/45-email-text-en-licence-expiring', 'severity-4', 'licence-expiring'],
    ['eset/46-email-text-es-licence-exceeded', 'severity-3', 'licence-seats-exceeded'],
    ['symantec/email-licence-over-deployment', 'severity-3', 'licence-over-deployment'],
    ['symantec/syslog-system-database-stopped-error', 'severity-1', 'management-database-stopped'],
    ['symantec/email-server-health', 'severity-2', 'server-health-degraded'],
    ['symantec/syslog-risk-clean-failed', 'threat-incident', 'threat-not-cleaned'],
    ['symantec/syslog-risk-quarantined-pri54', 'report-only', 'threat-handled'],
    ['symantec/email-authentication-failure', 'severity-3', 'authentication-failure-burst'],
    ['symantec/syslog-admin-logon-failed', 'report-only', 'informational'],
  ];
  it.each(table)('%s → %s (%s)', (name, outcome, rule) => {
    const events = parseEnvelope(fixture(name));
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect([triage(event, rules).outcome, triage(event, rules).rule.name]).toEqual([outcome, rule]);
  });
});
