// The SEPM management-server records that start with `Site:` (server system log, admin log, audit/policy log,
// client-server activity) and the client system log that starts with the client's host name and `Category:`.
import type { ParsedEvent } from '../../../protocol/event.js';
import type { ParserInput } from '../types.js';
import { phrase, sepmEvent } from './build.js';
import { spellings } from './fields.js';
import type { SepmFields } from './fields.js';
import { firstSepmTime } from './time.js';
import { BEGIN, END_TIME, DOMAIN_NAME, SEVERITY, EVENT_DESCRIPTION } from './labels.js';
import { atLeast, classifyText, syslogSeverityName } from './vocabulary.js';
import type { TextClass } from './vocabulary.js';

// Label spellings, folded once (fields.ts).
const SITE = spellings(['Site']);
const SERVER = spellings(['Server', 'Server Name']);
const DOMAIN = spellings(['Domain', 'Domain Name']);
const ADMIN = spellings(['Admin']);
const EVENT_TIME = spellings(['Event time', 'Event Time']);
const COMPUTER = spellings(['Computer', 'Computer name']);
const THREATS = spellings(['Threats']);
const INFECTED = spellings(['Infected']);
const TOTAL_FILES = spellings(['Total files']);
const SCAN_TYPE = spellings(['Scan Type']);
const IP_ADDRESS = spellings(['IP Address']);
const USER1 = spellings(['User1', 'User']);

/** True when a record comes from the management server itself (its first field is `Site:`). */
export function isServerRecord(fields: SepmFields): boolean {
  return /^site$/i.test(fields.all[0]?.label ?? '');
}

/** True when a record is a client system-log record (host name, then `Category:`). */
export function isClientSystemRecord(fields: SepmFields): boolean {
  return fields.all[0]?.label === undefined && /^category$/i.test(fields.all[1]?.label ?? '');
}

// A server record's description: labelled in 14.x, positional before; a few (e.g. "Number of old risk events
// swept: 130") look like a label themselves, so the first unexpected labelled field is the description then.
function serverDescription(fields: SepmFields): string | undefined {
  const labelled = fields.getAny(EVENT_DESCRIPTION);
  if (labelled !== undefined) return labelled;
  const positional = fields.positional.find((f) => f.value !== '');
  if (positional !== undefined) return positional.value;
  const known = /^(site|server|server name|domain|domain name|admin)$/i;
  const odd = fields.all.find((f) => f.label !== undefined && !known.test(f.label));
  if (odd?.label === undefined) return undefined;
  fields.ignore(odd.label);
  return `${odd.label}: ${odd.value}`;
}

/** Turns a `Site:` record into its event: server health, authentication failure, licence, audit, … */
export function serverEvent(input: ParserInput, fields: SepmFields): ParsedEvent {
  const site = fields.getAny(SITE);
  const server = fields.getAny(SERVER);
  const domain = fields.getAny(DOMAIN);
  const admin = fields.getAny(ADMIN);
  const description = serverDescription(fields) ?? '(no description)';
  const error = (input.syslog?.severity ?? 6) <= 3;
  // "…received the client log successfully,HOST,USER,LOCATION": a client-server activity record.
  const positional = fields.positional.filter((f) => f.value !== '').map((f) => f.value);
  const clientActivity = admin === undefined && !fields.hasAny(EVENT_DESCRIPTION) && positional.length >= 3;
  // Admin and client-activity records are audit trail unless they say otherwise; the rest is the server's health.
  const fallback: TextClass =
    admin !== undefined || clientActivity ? { eventType: 'audit', severity: 'info' } : { eventType: 'server-health', severity: 'info' };
  const cls = classifyText(description, fallback);
  const severity = error ? atLeast(cls.severity, 'medium') : cls.severity;
  const kind = clientActivity ? 'syslog-client-activity' : admin !== undefined ? 'syslog-admin' : 'syslog-system';
  const extra: Record<string, string> = {};
  if (site !== undefined) extra['Site'] = site;
  if (clientActivity && positional[3] !== undefined) extra['Location'] = positional[3];
  // Beside a labelled description, positional fields are its object (the policy name of an audit record).
  const labelledDescription = fields.getAny(EVENT_DESCRIPTION) !== undefined;
  if (labelledDescription && positional.length > 0) extra['Detail'] = positional.join(', ');

  return sepmEvent(input, fields, {
    kind,
    eventType: cls.eventType,
    vendorSeverity: syslogSeverityName(input.syslog?.severity),
    severity,
    computer: clientActivity
      ? { name: positional[1], user: positional[2], domain }
      : { name: server, user: admin, domain },
    extra,
    summary: phrase(
      admin !== undefined ? `SEPM admin ${admin}:` : `SEPM ${server ?? 'server'}:`,
      description,
      clientActivity && positional[1] !== undefined && `(${positional[1]})`,
    ),
  });
}

/** Turns a client system-log record into its event (content updates, policy changes, client errors). */
export function clientSystemEvent(input: ParserInput, fields: SepmFields): ParsedEvent {
  const host = fields.all[0]?.value;
  const source = fields.positional[1]?.value;
  const description = fields.getAny(EVENT_DESCRIPTION) ?? fields.positional[2]?.value ?? '(no description)';
  const cls = classifyText(description, { eventType: 'audit', severity: 'info' });
  // A client that failed to download content is a definitions problem on that client, not yet an outage.
  const severity = cls.eventType === 'definitions-outdated' ? 'low' : cls.severity;
  const extra: Record<string, string> = {};
  if (source !== undefined && source !== '') extra['Event source'] = source;
  return sepmEvent(input, fields, {
    kind: 'syslog-client-system',
    eventType: cls.eventType,
    vendorSeverity: fields.getAny(SEVERITY) ?? syslogSeverityName(input.syslog?.severity),
    severity,
    occurredAt: firstSepmTime([fields.getAny(EVENT_TIME)]),
    computer: { name: host },
    extra,
    summary: phrase(`Client ${host ?? ''}:`, description.split(/\s{2,}/)[0]),
  });
}

/** True when a record is a scan-log record. */
export function isScanRecord(fields: SepmFields): boolean {
  return /^scan id$/i.test(fields.all[0]?.label ?? '');
}

/** Turns a scan-log record into its event: an audit line, or a detection when the scan found something. */
export function scanEvent(input: ParserInput, fields: SepmFields): ParsedEvent {
  const computer = fields.getAny(COMPUTER);
  const threats = fields.countAny(THREATS) ?? 0;
  const infected = fields.countAny(INFECTED) ?? 0;
  const total = fields.countAny(TOTAL_FILES);
  const status = fields.positional.find((f) => /^(completed|cancelled|canceled|started|stopped|paused)$/i.test(f.value))?.value;
  const scanType = fields.getAny(SCAN_TYPE);
  const found = Math.max(threats, infected);
  return sepmEvent(input, fields, {
    kind: 'syslog-scan',
    eventType: found > 0 ? 'threat-detected' : 'audit',
    severity: found > 0 ? 'medium' : 'info',
    occurredAt: firstSepmTime([fields.getAny(END_TIME), fields.getAny(BEGIN)]),
    computer: {
      name: computer,
      ip: fields.getAny(IP_ADDRESS),
      user: fields.getAny(USER1),
      domain: fields.getAny(DOMAIN_NAME),
    },
    count: found > 0 ? found : undefined,
    extra: status === undefined ? undefined : { Status: status },
    summary: phrase(
      `${scanType ?? 'Scan'} ${status?.toLowerCase() ?? 'finished'}`,
      computer !== undefined && `on ${computer}:`,
      total !== undefined && `${total} files,`,
      `${threats} threats, ${infected} infected`,
    ),
  });
}
