// The SEPM security log (Network Threat Protection / IPS detections) and traffic log (firewall rule hits). Both
// start with the client's host name, positionally, and carry positional direction and protocol (`Inbound`, `TCP`).
import type { ParsedEvent, Severity } from '../../../protocol/event.js';
import { usableAddress } from '../common/address.js';
import type { ParserInput } from '../types.js';
import { mapSepmAction } from './vocabulary.js';
import { phrase, sepmEvent, sha256Of } from './build.js';
import { spellings } from './fields.js';
import type { SepmFields } from './fields.js';
import { firstSepmTime } from './time.js';
import { BEGIN, END_TIME, DOMAIN_NAME, SEVERITY, USER_NAME, RULE, EVENT_DESCRIPTION } from './labels.js';

// Label spellings, folded once (fields.ts).
const REMOTE_HOST_IP = spellings(['Remote Host IP']);
const LOCAL_HOST_IP = spellings(['Local Host IP']);
const CIDS_SIGNATURE_STRING = spellings(['CIDS Signature string']);
const LOCAL_IP = spellings(['Local Host IP', 'Local']);
const EVENT_TYPE = spellings(['Event Type']);
const INTRUSION_URL = spellings(['Intrusion URL']);
const APPLICATION = spellings(['Application']);
const SHA_256 = spellings(['SHA-256']);
const OCCURRENCES = spellings(['Occurrences']);
const ACTION = spellings(['Action']);
const REMOTE_PORT = spellings(['Remote Port']);

const DIRECTIONS = /^(inbound|outbound|unknown|both)$/i;
const PROTOCOLS = /^(tcp|udp|icmp|icmpv6|others|ethernet|ip|unknown)$/i;

/** True when a record is a security-log (IPS) record. */
export function isSecurityRecord(fields: SepmFields): boolean {
  return fields.hasAny(EVENT_DESCRIPTION) && fields.hasAny(REMOTE_HOST_IP) && !fields.hasAny(RULE);
}

/** True when a record is a traffic-log (firewall rule) record. */
export function isTrafficRecord(fields: SepmFields): boolean {
  return fields.hasAny(LOCAL_HOST_IP) && fields.hasAny(RULE) && fields.hasAny(REMOTE_HOST_IP);
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
  const description = fields.getAny(EVENT_DESCRIPTION) ?? '';
  const signature = fields.getAny(CIDS_SIGNATURE_STRING);
  const remoteIp = fields.getAny(REMOTE_HOST_IP);
  const net = positionalNetwork(fields);
  const notBlocked = /not blocked|no bloquead/i.test(description);
  const blocked = !notBlocked && (net.blocked || /\bblock(ed)?\b|bloquead/i.test(description));
  const mapped = blocked ? { action: 'blocked' as const, handled: true } : notBlocked ? mapSepmAction('not blocked') : undefined;
  // `Audit:` signatures are SEPM's informational IPS rules (scanner fingerprints and the like).
  const audit = /^(\[SID: \d+\]\s*)?audit:/i.test(signature ?? description);
  const severity: Severity = audit ? 'low' : notBlocked ? 'high' : 'medium';
  const name = signature ?? attackName(description);
  return sepmEvent(input, fields, {
    kind: 'syslog-security',
    eventType: 'firewall-attack',
    vendorSeverity: fields.getAny(SEVERITY),
    severity,
    occurredAt: firstSepmTime([fields.getAny(BEGIN), fields.getAny(END_TIME)]),
    computer: {
      name: host,
      ip: fields.getAny(LOCAL_IP),
      user: fields.getAny(USER_NAME),
      domain: fields.getAny(DOMAIN_NAME),
    },
    threat: {
      name,
      type: fields.getAny(EVENT_TYPE) ?? 'Network threat',
      object: fields.getAny(INTRUSION_URL) ?? fields.getAny(APPLICATION),
      hash: sha256Of(fields.getAny(SHA_256)),
    },
    action: mapped?.action,
    actionText: blocked ? 'Blocked' : notBlocked ? 'Not blocked' : undefined,
    handled: mapped?.handled,
    count: fields.countAny(OCCURRENCES),
    extra: networkExtra(net),
    summary: phrase(
      'Network threat:',
      // With no threat named, the description still says what happened.
      name ?? description.replace(/^\[SID: \d+\]\s*/, ''),
      usableAddress(remoteIp) !== undefined && `from ${remoteIp}`,
      host !== undefined && `on ${host}`,
      blocked ? '- blocked' : notBlocked ? '- NOT blocked' : '',
    ),
  });
}

// The attack a description names when no signature does: "[SID: 1] Web Attack: X attack blocked. …" names
// "Web Attack: X"; a short name ("Portscan") is itself; any other sentence ("The client will block traffic from …")
// names no threat.
function attackName(description: string): string | undefined {
  const first = description.replace(/^\[SID: \d+\]\s*/, '').split(/\.(?:\s|$)/)[0]?.trim() ?? '';
  const attack = /^(.+?)\s+attack\s+(?:blocked|detected|bloquead|detectad)/i.exec(first);
  if (attack !== null) return attack[1];
  return first !== '' && first.split(/\s+/).length <= 4 && !/[.!?]$/.test(first) ? first : undefined;
}

/** Turns one traffic-log record into a firewall event: a rule blocked or allowed a connection. The rule is no
 *  threat: it goes to `extra.Rule` and the summary. */
export function trafficEvent(input: ParserInput, fields: SepmFields): ParsedEvent {
  const host = fields.positional[0]?.value;
  const rule = fields.getAny(RULE);
  const actionText = fields.getAny(ACTION);
  const mapped = mapSepmAction(actionText);
  const remoteIp = usableAddress(fields.getAny(REMOTE_HOST_IP));
  const remote = remoteIp === undefined ? '' : [remoteIp, fields.getAny(REMOTE_PORT)].filter(Boolean).join(':');
  const net = positionalNetwork(fields);
  return sepmEvent(input, fields, {
    kind: 'syslog-traffic',
    eventType: 'firewall-attack',
    severity: mapped?.action === 'blocked' ? 'low' : 'info',
    occurredAt: firstSepmTime([fields.getAny(BEGIN), fields.getAny(END_TIME)]),
    computer: {
      name: host,
      ip: fields.getAny(LOCAL_HOST_IP),
      user: fields.getAny(USER_NAME),
      domain: fields.getAny(DOMAIN_NAME),
    },
    threat: { type: 'Firewall rule', object: fields.getAny(APPLICATION), hash: sha256Of(fields.getAny(SHA_256)) },
    action: mapped?.action,
    actionText,
    handled: mapped?.handled,
    count: fields.countAny(OCCURRENCES),
    extra: rule === undefined ? networkExtra(net) : { Rule: rule, ...networkExtra(net) },
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
