import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../protocol/event.js';
import { formatRulesTest, rulesTest } from './commands.js';
import { loadTriageRules, parseTriageRules } from './rules.js';
import { triage } from './triage.js';

const rules = loadTriageRules();

function ev(over: Partial<ParsedEvent>): ParsedEvent {
  return { vendor: 'eset', eventType: 'unclassified', severity: 'info', occurredAt: '2026-03-20T19:50:00Z', summary: 's', format: 't', ...over };
}

describe('default rules', () => {
  const table: [string, Partial<ParsedEvent>, string, string][] = [
    ['ransomware even when blocked', { eventType: 'ransomware', severity: 'critical', handled: true }, 'threat-incident', 'ransomware'],
    ['outbreak', { eventType: 'outbreak', severity: 'high', count: 40 }, 'threat-incident', 'outbreak'],
    ['threat not cleaned', { eventType: 'threat-not-cleaned', severity: 'high' }, 'threat-incident', 'threat-not-cleaned'],
    ['threat left alone', { eventType: 'threat-detected', severity: 'medium', action: 'left-alone' }, 'threat-incident', 'threat-unhandled'],
    ['threat, parser says unhandled', { eventType: 'threat-detected', severity: 'low', handled: false }, 'threat-incident', 'threat-unhandled'],
    ['handled flag wins over action', { eventType: 'threat-detected', handled: true, action: 'failed' }, 'report-only', 'threat-handled'],
    ['threat cleaned', { eventType: 'threat-detected', severity: 'medium', action: 'cleaned' }, 'report-only', 'threat-handled'],
    ['threat quarantined', { eventType: 'threat-detected', severity: 'high', action: 'quarantined', handled: true }, 'report-only', 'threat-handled'],
    ['threat, outcome unknown', { eventType: 'threat-detected', severity: 'high', action: 'unknown' }, 'severity-3', 'threat-outcome-unknown'],
    ['edr critical', { eventType: 'edr-alert', severity: 'critical' }, 'threat-incident', 'edr-critical'],
    ['edr high', { eventType: 'edr-alert', severity: 'high' }, 'severity-2', 'edr-high'],
    ['edr medium', { eventType: 'edr-alert', severity: 'medium' }, 'report-only', 'informational'],
    ['server down', { eventType: 'server-health', severity: 'critical' }, 'severity-1', 'management-server-down'],
    ['server degraded', { eventType: 'server-health', severity: 'high' }, 'severity-2', 'server-health-degraded'],
    ['server notice', { eventType: 'server-health', severity: 'info' }, 'report-only', 'informational'],
    ['mass loss of protection', { eventType: 'client-not-connected', computersAffected: 12 }, 'severity-1', 'mass-loss-of-protection'],
    ['a few clients not connected', { eventType: 'client-not-connected', computersAffected: 9 }, 'report-only', 'informational'],
    ['firewall attack repeated', { eventType: 'firewall-attack', count: 5 }, 'severity-2', 'firewall-attack-repeated'],
    ['firewall attack once', { eventType: 'firewall-attack', count: 1 }, 'report-only', 'informational'],
    ['firewall attack blocked once', { eventType: 'firewall-attack', action: 'blocked' }, 'report-only', 'threat-handled'],
    ['definitions outdated', { eventType: 'definitions-outdated', severity: 'medium' }, 'severity-3', 'definitions-outdated'],
    ['licence exceeded', { eventType: 'licence', severity: 'high' }, 'severity-3', 'licence-exceeded'],
    ['licence expired (critical)', { eventType: 'licence', severity: 'critical' }, 'severity-3', 'licence-exceeded'],
    ['licence seats exceeded (ESET gives the count)', { eventType: 'licence', severity: 'medium', computersAffected: 162 }, 'severity-3', 'licence-seats-exceeded'],
    ['licence over deployment (SEPM)', { eventType: 'licence', severity: 'medium', summary: 'Over deployment issue: 540 clients for 500 seats' }, 'severity-3', 'licence-over-deployment'],
    ['licence expiring', { eventType: 'licence', severity: 'medium', summary: 'License expiration: 14 days left' }, 'severity-4', 'licence-expiring'],
    ['management database stopped, whatever the severity', { eventType: 'server-health', severity: 'medium', summary: 'SEPM: The database service has stopped unexpectedly.' }, 'severity-1', 'management-database-stopped'],
    ['server health warning', { eventType: 'server-health', severity: 'medium', summary: 'Peer certificate expires in 10 days' }, 'severity-3', 'server-health-warning'],
    ['botnet / critical network attack', { eventType: 'firewall-attack', severity: 'critical', count: 12 }, 'threat-incident', 'network-attack-critical'],
    ['HIPS let a medium operation through', { eventType: 'hips', severity: 'medium', action: 'left-alone' }, 'severity-3', 'hips-not-blocked'],
    ['HIPS in audit mode (info, left alone)', { eventType: 'hips', severity: 'info', handled: false }, 'report-only', 'informational'],
    ['login failures burst', { eventType: 'authentication-failure', count: 7 }, 'severity-3', 'authentication-failure-burst'],
    ['one login failure', { eventType: 'authentication-failure' }, 'report-only', 'informational'],
    ['audit', { eventType: 'audit', severity: 'info' }, 'report-only', 'informational'],
    ['web filtered', { eventType: 'web-filtered', action: 'blocked' }, 'report-only', 'threat-handled'],
    ['unclassified critical', { eventType: 'unclassified', severity: 'critical' }, 'report-only', 'informational'],
  ];
  it.each(table)('%s', (_name, over, outcome, rule) => {
    const result = triage(ev(over), rules);
    expect(result.outcome).toBe(outcome);
    expect(result.rule.name).toBe(rule);
  });
});

describe('rule matching', () => {
  const custom = parseTriageRules({
    rules: [
      { name: 'sym-servers', match: { vendor: 'symantec', computer: 'SRV-*' }, outcome: 'severity-2' },
      { name: 'regex', match: { computer: '/^db\\d+$/' }, outcome: 'severity-3' },
      { name: 'min-high', match: { severity: { min: 'high' }, eventType: ['audit', 'hips'] }, outcome: 'severity-4' },
      { name: 'summary-glob', match: { summary: '*exceeded*' }, outcome: 'severity-3' },
    ],
  });
  const table: [string, Partial<ParsedEvent>, string][] = [
    ['glob is case-insensitive', { vendor: 'symantec', computer: { name: 'srv-mail' } }, 'sym-servers'],
    ['glob is anchored', { vendor: 'symantec', computer: { name: 'old-srv-mail' } }, 'unmatched'],
    ['vendor must match', { vendor: 'eset', computer: { name: 'SRV-1' } }, 'unmatched'],
    ['regex keeps its case', { computer: { name: 'db12' } }, 'regex'],
    ['regex without flag is case-sensitive', { computer: { name: 'DB12' } }, 'unmatched'],
    ['no computer name never matches a pattern', {}, 'unmatched'],
    ['min high accepts critical', { eventType: 'hips', severity: 'critical' }, 'min-high'],
    ['min high refuses medium', { eventType: 'audit', severity: 'medium' }, 'unmatched'],
    ['summary glob matches inside the text', { summary: 'Licence EXCEEDED by 12 seats' }, 'summary-glob'],
  ];
  it.each(table)('%s', (_name, over, rule) => {
    expect(triage(ev(over), custom).rule.name).toBe(rule);
  });

  it('unmatched events are report-only', () => {
    expect(triage(ev({}), custom).outcome).toBe('report-only');
  });
});

describe('rules schema', () => {
  const bad: [string, unknown, RegExp][] = [
    ['unknown key', { rules: [{ name: 'a', match: { colour: 'red' }, outcome: 'severity-1' }] }, /rules\.0\.match/],
    ['unknown outcome', { rules: [{ name: 'a', outcome: 'severity-5' }] }, /rules\.0\.outcome/],
    ['unknown event type', { rules: [{ name: 'a', match: { eventType: ['virus'] }, outcome: 'report-only' }] }, /eventType/],
    ['duplicate name', { rules: [{ name: 'a', outcome: 'report-only' }, { name: 'a', outcome: 'report-only' }] }, /used twice/],
    ['bad regex', { rules: [{ name: 'a', match: { computer: '/(/' }, outcome: 'report-only' }] }, /not a valid pattern/],
    ['unknown dedup field', { rules: [{ name: 'a', outcome: 'severity-1', dedup: { key: ['colour'], windowMinutes: 5 } }] }, /dedup\.key/],
    ['no rules', { rules: [] }, /rules/],
  ];
  it.each(bad)('rejects %s', (_name, input, message) => {
    expect(() => parseTriageRules(input)).toThrow(message);
  });
});

describe('rulesTest', () => {
  it('names the rule each event of a file hits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-test-'));
    const file = join(dir, 'events.json');
    writeFileSync(file, JSON.stringify([ev({ eventType: 'ransomware', summary: 'Filecoder' }), ev({ eventType: 'audit' })]));
    const results = rulesTest(file, rules);
    expect(results.map((r) => r.rule)).toEqual(['ransomware', 'informational']);
    expect(formatRulesTest(results)).toContain('#0 ransomware → threat-incident (rule ransomware)  Filecoder');
  });

  it('accepts a single event and rejects what is not one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-test-'));
    const one = join(dir, 'one.json');
    writeFileSync(one, JSON.stringify(ev({ eventType: 'outbreak' })));
    expect(rulesTest(one, rules)[0]?.outcome).toBe('threat-incident');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ vendor: 'eset', eventType: 'virus' }));
    expect(() => rulesTest(bad, rules)).toThrow(/eventType/);
  });
});
