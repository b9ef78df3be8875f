// Per kind of exported ESET event: which of our event types it is, how grave, what the product did, and the line an
// engineer reads first. Severity starts from ESET's own word and is then raised (floor) or lowered (cap) by what the
// event says: an unhandled threat is critical whatever ESET called it; a blocked website is routine.
import type { ActionTaken, Computer, EventType, Severity, Threat } from '../../../protocol/event.js';
import { integerOf, normalizeAction, parseBooleanish } from '../common/normalize.js';
import type { CommonFields, EsetExportKind, EsetRecord } from './record.js';
import { field } from './record.js';
import { inspectScoreSeverity, isBotnetEvent, looksLikeRansomware } from './severity.js';

/** What a kind adds to the common fields. */
export interface TypedEvent {
  eventType: EventType;
  summary: string;
  /** Severity when ESET sent none we know. */
  fallback: Severity;
  floor?: Severity;
  cap?: Severity;
  computer?: Computer;
  threat?: Threat;
  action?: ActionTaken;
  actionText?: string;
  handled?: boolean;
  count?: number;
  /** Source fields the kind read but that name no threat (a HIPS rule): kept beside the other unplaced keys. */
  extra?: Record<string, string>;
}

// Drops undefined members, keeping the others in their order. A loop over the keys, not entries filtered and
// rebuilt: this runs several times for every exported event.
function compact<T extends object>(object: T): T {
  const members = object as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(members)) if (members[key] !== undefined) out[key] = members[key];
  return out as T;
}

function actionOf(record: EsetRecord, ...keys: string[]): Pick<TypedEvent, 'action' | 'actionText' | 'handled'> {
  const actionText = field(record, ...keys);
  const normalized = normalizeAction(actionText);
  const handled = parseBooleanish(record.threat_handled) ?? parseBooleanish(record.handled) ?? normalized.handled;
  return compact({ action: actionText === undefined ? undefined : normalized.action, actionText, handled });
}

function times(count: number | undefined): string {
  return count !== undefined && count > 1 ? `, ${count} times` : '';
}

function endpoint(address: string | undefined, port: string | undefined): string {
  if (address === undefined) return 'unknown';
  return port === undefined ? address : `${address}:${port}`;
}

// What every kind reads alike: the computer's label for summaries and the user the event names, if any.
interface KindContext {
  host: string;
  user: string | undefined;
  withUser: Computer | undefined;
}

/** The kind-specific part of an exported ESET event. */
export function mapTypedEvent(kind: EsetExportKind, record: EsetRecord, common: CommonFields): TypedEvent {
  const user = field(record, 'username', 'user', 'account');
  const context: KindContext = { host: common.hostLabel, user, withUser: user !== undefined ? { user } : undefined };
  return KIND_EVENTS[kind](record, context);
}

function threatEvent(record: EsetRecord, { host, withUser }: KindContext): TypedEvent {
  const name = field(record, 'threat_name');
  const type = field(record, 'threat_type');
  const done = actionOf(record, 'action_taken', 'action');
  const ransomware = looksLikeRansomware(name, type);
  const notHandled = done.handled === false;
  const eventType: EventType = ransomware ? 'ransomware' : notHandled ? 'threat-not-cleaned' : 'threat-detected';
  const said = done.actionText ?? 'no action reported';
  return compact({
    eventType,
    summary: `${ransomware ? 'Ransomware' : 'Threat'} ${name ?? '(unnamed)'}${type ? ` (${type})` : ''} on ${host}: ${said}${notHandled ? ', NOT handled' : ''}`,
    fallback: 'medium' as Severity,
    floor: ransomware || notHandled ? ('critical' as Severity) : undefined,
    computer: withUser,
    threat: compact({ name, type, object: field(record, 'object_uri'), hash: field(record, 'hash') }),
    ...done,
  });
}

function firewallEvent(record: EsetRecord, { host, withUser }: KindContext): TypedEvent {
  const attack = field(record, 'event');
  const name = field(record, 'threat_name');
  const count = integerOf(record.aggregate_count);
  const from = endpoint(field(record, 'source_address'), field(record, 'source_port'));
  const to = endpoint(field(record, 'target_address'), field(record, 'target_port'));
  return compact({
    eventType: 'firewall-attack' as EventType,
    summary: `Firewall: ${attack ?? 'network event'}${name && name !== attack ? ` (${name})` : ''} from ${from} to ${to} on ${host}${times(count)}`,
    fallback: 'medium' as Severity,
    floor: isBotnetEvent(attack) ? ('critical' as Severity) : undefined,
    computer: withUser,
    threat: compact({ name: name ?? attack, type: attack, object: field(record, 'process_name', 'processname') }),
    count,
    ...actionOf(record, 'action'),
  });
}

function hipsEvent(record: EsetRecord, { host, withUser }: KindContext): TypedEvent {
  const operation = field(record, 'operation');
  const application = field(record, 'application');
  const target = field(record, 'target');
  const ruleName = field(record, 'rule_name', 'rulename');
  const count = integerOf(record.aggregate_count);
  const done = actionOf(record, 'action');
  return compact({
    eventType: 'hips' as EventType,
    summary: `HIPS: ${operation ?? 'operation'} by ${application ?? 'an application'} on ${target ?? 'a target'} (${host}): ${done.actionText ?? 'no action reported'}${times(count)}`,
    fallback: 'medium' as Severity,
    computer: withUser,
    // A HIPS rule and its operation say what was controlled, not which threat: only `threat_name` names one.
    threat: compact({ name: field(record, 'threat_name'), object: target ?? application }),
    extra: ruleName === undefined ? undefined : { rule_name: ruleName },
    count,
    ...done,
  });
}

function auditEvent(record: EsetRecord, { user, withUser }: KindContext): TypedEvent {
  const action = field(record, 'action');
  const result = field(record, 'result');
  const detail = field(record, 'detail');
  const isLogin = /log ?in|log ?on|sign ?in|authenticat|inicio de sesi|autentic/i.test(`${action ?? ''} ${detail ?? ''}`);
  const failed = result !== undefined && !/^(success|succeeded|correcto|correcta|éxito|exito|ok)$/i.test(result);
  const authFailure = isLogin && failed;
  return compact({
    eventType: (authFailure ? 'authentication-failure' : 'audit') as EventType,
    summary: `Audit: ${action ?? 'action'}${field(record, 'domain') ? ` (${field(record, 'domain')})` : ''} by ${user ?? 'unknown user'}: ${result ?? 'no result'}${detail ? ` — ${detail}` : ''}`,
    fallback: 'info' as Severity,
    floor: authFailure ? ('medium' as Severity) : undefined,
    computer: withUser,
  });
}

function websiteEvent(record: EsetRecord, { host, withUser }: KindContext): TypedEvent {
  const object = field(record, 'object_uri', 'target_address');
  const rule = field(record, 'rule_id', 'event');
  const done = actionOf(record, 'action_taken', 'action');
  return compact({
    eventType: 'web-filtered' as EventType,
    summary: `Website ${done.actionText ?? 'filtered'} on ${host}: ${object ?? 'unknown URL'}${rule ? ` (${rule})` : ''}`,
    fallback: 'low' as Severity,
    cap: done.handled === false ? undefined : ('low' as Severity),
    computer: withUser,
    // The blocking rule ("Blocked by Anti-Phishing blacklist") is no threat name; it stays in `extra.rule_id`.
    threat: compact({ name: field(record, 'threat_name'), object, hash: field(record, 'hash') }),
    ...done,
  });
}

function inspectEvent(record: EsetRecord, { host, withUser }: KindContext): TypedEvent {
  const rule = field(record, 'rulename', 'rule_name');
  const score = integerOf(record.severity_score);
  const resolved = parseBooleanish(record.resolved);
  return compact({
    eventType: 'edr-alert' as EventType,
    summary: `ESET Inspect alert on ${host}: ${rule ?? 'unnamed rule'}${score !== undefined ? ` (score ${score})` : ''}${resolved ? ', resolved' : ''}`,
    fallback: 'medium' as Severity,
    floor: inspectScoreSeverity(score),
    computer: withUser,
    threat: compact({ name: rule, object: field(record, 'processname', 'command_line'), hash: field(record, 'hash') }),
    handled: resolved,
    count: integerOf(record.count),
  });
}

function blockedFileEvent(record: EsetRecord, { host, withUser }: KindContext): TypedEvent {
  const object = field(record, 'object_uri', 'processname');
  const cause = field(record, 'cause', 'description');
  const done = actionOf(record, 'action');
  return compact({
    eventType: 'blocked-file' as EventType,
    summary: `File ${done.actionText ?? 'blocked'} on ${host}: ${object ?? 'unknown file'}${cause ? ` (${cause})` : ''}`,
    fallback: 'low' as Severity,
    cap: done.handled === false ? undefined : ('low' as Severity),
    computer: withUser,
    // The cause ("Blocked by Administrator") is no threat name; it stays in `extra.cause`.
    threat: compact({ name: field(record, 'threat_name'), object, hash: field(record, 'hash') }),
    ...done,
  });
}

function otherEvent(record: EsetRecord, { host, withUser }: KindContext): TypedEvent {
  return compact({
    eventType: 'unclassified' as EventType,
    summary: `ESET ${field(record, 'event_type') ?? 'event'} on ${host}${field(record, 'event', 'detail') ? `: ${field(record, 'event', 'detail')}` : ''}`,
    fallback: 'low' as Severity,
    computer: withUser,
  });
}

// One mapper per kind; a Record, so a kind added to EsetExportKind without its mapper fails to compile.
const KIND_EVENTS: Readonly<Record<EsetExportKind, (record: EsetRecord, context: KindContext) => TypedEvent>> = {
  threat: threatEvent,
  firewall: firewallEvent,
  hips: hipsEvent,
  audit: auditEvent,
  website: websiteEvent,
  inspect: inspectEvent,
  'blocked-file': blockedFileEvent,
  other: otherEvent,
};
