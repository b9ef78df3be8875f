// The SEPM security log (Network Threat Protection / IPS detections) and traffic log (firewall rule hits). Both
// start with the client's host name, positionally, and carry positional direction and protocol (`Inbound`, `TCP`).
import type { ParsedEvent, Severity } from '../../../protocol/event.js';
import type { ParserInput } from '../types.js';
import { mapSepmAction } from './vocabulary.js';
import { phrase, sepmEvent, sha256Of } from './build.js';
import type { SepmFields } from './fields.js';
import { firstSepmTime } from './time.js';

const DIRECTIONS = /^(inbound|outbound|unknown|both)$/i;
const PROTOCOLS = /^(tcp|udp|icmp|icmpv6|others|ethernet|ip|unknown)$/i;

/** True when a record is a security-log (IPS) record. */
export function isSecurityRecord(fields: SepmFields): boolean {
  return fields.has('Event Description') && fields.has('Remote Host IP') && !fields.has('Rule');
}

/** True when a record is a traffic-log (firewall rule) record. */
export function isTrafficRecord(fields: SepmFields): boolean {
  return fields.has('Local Host IP') && fields.has('Rule') && fields.has('Remote Host IP');
}

// Positional direction, protocol and `Blocked` flag, which carry no label on the wire.
function positionalNetwork(fields: SepmFields): { direction?: string; protocol?: string; blocked: boolean } {
  const values = fields.positional.slice(1).map((f) => f.value);
  return {
    direction: values.find((v) => DIRECTIONS.test(v)),
    protocol: values.find((v) => PROTOCOLS.test(v) && !DIRECTIONS.test(v)),
    blocked: values.some((v) => /^blocked$/i.test(v)),
  };
}

function networkExtra(net: ReturnType<typeof positionalNetwork>): Record<string, string> {
  const extra: Record<string, string> = {};
  if (net.direction !== undefined) extra['Direction'] = net.direction;
  if (net.protocol !== undefined && net.protocol !== net.direction) extra['Protocol'] = net.protocol;
  return extra;
}

/** Turns one security-log record into a firewall-attack event. */
export function securityEvent(input: ParserInput, fields: SepmFields): ParsedEvent {
  const host = fields.positional[0]?.value;
  const description = fields.get('Event Description') ?? '';
  const signature = fields.get('CIDS Signature string');
  const remoteIp = fields.get('Remote Host IP');
  const net = positionalNetwork(fields);
  const notBlocked = /not blocked|no bloquead/i.test(description);
  const blocked = !notBlocked && (net.blocked || /\bblock(ed)?\b|bloquead/i.test(description));
  const mapped = blocked ? { action: 'blocked' as const, handled: true } : notBlocked ? mapSepmAction('not blocked') : undefined;
  // `Audit:` signatures are SEPM's informational IPS rules (scanner fingerprints and the like).
  const audit = /^(\[SID: \d+\]\s*)?audit:/i.test(signature ?? description);
  const severity: Severity = audit ? 'low' : notBlocked ? 'high' : 'medium';
  const name = signature ?? description.replace(/^\[SID: \d+\]\s*/, '').split(/\.\s/)[0];
  return sepmEvent(input, fields, {
    kind: 'syslog-security',
    eventType: 'firewall-attack',
    vendorSeverity: fields.get('Severity'),
    severity,
    occurredAt: firstSepmTime([fields.get('Begin'), fields.get('End Time', 'End')]),
    computer: {
      name: host,
      ip: fields.get('Local Host IP', 'Local'),
      user: fields.get('User Name', 'User'),
      domain: fields.get('Domain Name', 'Domain'),
    },
    threat: {
      name,
      type: fields.get('Event Type') ?? 'Network threat',
      object: fields.get('Intrusion URL') ?? fields.get('Application'),
      hash: sha256Of(fields.get('SHA-256')),
    },
    action: mapped?.action,
    actionText: blocked ? 'Blocked' : notBlocked ? 'Not blocked' : undefined,
    handled: mapped?.handled,
    count: fields.count('Occurrences'),
    extra: networkExtra(net),
    summary: phrase(
      'Network threat:',
      name,
      remoteIp !== undefined && remoteIp !== '0.0.0.0' && `from ${remoteIp}`,
      host !== undefined && `on ${host}`,
      blocked ? '- blocked' : notBlocked ? '- NOT blocked' : '',
    ),
  });
}

/** Turns one traffic-log record into a firewall event: a rule blocked or allowed a connection. */
export function trafficEvent(input: ParserInput, fields: SepmFields): ParsedEvent {
  const host = fields.positional[0]?.value;
  const rule = fields.get('Rule');
  const actionText = fields.get('Action');
  const mapped = mapSepmAction(actionText);
  const remote = [fields.get('Remote Host IP'), fields.get('Remote Port')].filter(Boolean).join(':');
  const net = positionalNetwork(fields);
  return sepmEvent(input, fields, {
    kind: 'syslog-traffic',
    eventType: 'firewall-attack',
    severity: mapped?.action === 'blocked' ? 'low' : 'info',
    occurredAt: firstSepmTime([fields.get('Begin'), fields.get('End Time', 'End')]),
    computer: {
      name: host,
      ip: fields.get('Local Host IP'),
      user: fields.get('User Name', 'User'),
      domain: fields.get('Domain Name', 'Domain'),
    },
    threat: { name: rule, type: 'Firewall rule', object: fields.get('Application'), hash: sha256Of(fields.get('SHA-256')) },
    action: mapped?.action,
    actionText,
    handled: mapped?.handled,
    count: fields.count('Occurrences'),
    extra: networkExtra(net),
    summary: phrase(
      'Firewall rule',
      rule !== undefined ? `"${rule}"` : '',
      (actionText ?? 'matched').toLowerCase(),
      net.protocol,
      net.direction?.toLowerCase(),
      'traffic',
      remote !== '' && `from ${remote}`,
      host !== undefined && `on ${host}`,
    ),
  });
}
