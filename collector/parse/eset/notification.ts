// ESET PROTECT notifications as text: what the console sends by syslog, by SNMP trap (the same text in a varbind)
// and by e-mail (HTML converted to text). Three shapes: a single detection with labels, a threshold table (see
// threshold.ts), and status or dynamic-group notices ("modules outdated", "not connected", "licence").
import type { EventType, ParsedEvent, Severity } from '../../../protocol/event.js';
import { allMatches, extractLabeled, foldLabel } from '../common/labels.js';
import { integerOf, normalizeAction, parseBooleanish } from '../common/normalize.js';
import { parseVendorTime } from '../common/time.js';
import type { ParserInput } from '../types.js';
import { firstLine } from '../unclassified.js';
import { esetSeverity, inspectScoreSeverity, looksLikeRansomware } from './severity.js';
import { parseThreshold } from './threshold.js';
import type { DetectionField } from './vocabulary.js';
import { ALL_DETECTION_LABELS, DETECTION_LABELS, isSpanish, LICENCE_URGENT, STATUS_RULES } from './vocabulary.js';

type Fields = Partial<Record<DetectionField, string>>;

/** The labelled fields of a notification, whichever language's label was used. */
export function detectionFields(text: string): Fields {
  const found = extractLabeled(labelCellsAsLines(text), ALL_DETECTION_LABELS);
  const fields: Fields = {};
  for (const [field, labels] of DETECTION_FIELDS) {
    for (const label of labels) {
      const value = found.get(label);
      if (value !== undefined && value !== '') {
        fields[field] = value;
        break;
      }
    }
  }
  return fields;
}

// The fields and their labels, listed once rather than per message.
const DETECTION_FIELDS = Object.entries(DETECTION_LABELS) as [DetectionField, readonly string[]][];

const KNOWN_LABELS = new Set(ALL_DETECTION_LABELS.map(foldLabel));

// An e-mail table row "Detection name<TAB>Win32/…" carries no colon; it becomes "Detection name: Win32/…".
// Written as the loop String.prototype.replace runs (the row pattern never matches empty text), because a
// replacement function called back from the replace costs more than the matching here.
function labelCellsAsLines(text: string): string {
  // Only a line with a tab can be such a row.
  if (!text.includes('\t')) return text;
  let out = '';
  let copied = 0;
  for (const row of allMatches(text, LABEL_CELL_ROW)) {
    const label = row[1]!;
    if (!KNOWN_LABELS.has(foldLabel(label))) continue;
    out += `${text.slice(copied, row.index)}${label}: ${row[2]!}`;
    copied = row.index + row[0].length;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const LABEL_CELL_ROW = /^([^\t\n]{2,60}?)\s*:?\t([^\t\n]*)$/gm;

function singleDetection(fields: Fields, input: ParserInput, format: string, dayFirst: boolean): ParsedEvent | null {
  // A rule alone is also SEPM's traffic log; an ESET Inspect alarm names itself or carries its score.
  const isInspect =
    fields.rule !== undefined &&
    fields.detectionName === undefined &&
    (fields.severityScore !== undefined || /ESET Inspect|Enterprise Inspector/i.test(`${input.subject ?? ''} ${input.text}`));
  if (!isInspect && fields.detectionName === undefined) return null;
  const name = isInspect ? fields.rule : fields.detectionName;
  const normalized = normalizeAction(fields.actionPerformed);
  const handled = parseBooleanish(fields.handled) ?? normalized.handled;
  const ransomware = !isInspect && looksLikeRansomware(name, fields.detectionType, fields.scanner, input.subject);
  const eventType: EventType = isInspect ? 'edr-alert' : ransomware ? 'ransomware' : handled === false ? 'threat-not-cleaned' : 'threat-detected';
  let severity: Severity = esetSeverity(fields.severity) ?? 'medium';
  if (isInspect) severity = inspectScoreSeverity(integerOf(fields.severityScore)) ?? severity;
  if (ransomware || eventType === 'threat-not-cleaned') severity = 'critical';
  const host = fields.computerName ?? input.syslog?.hostname ?? 'unknown computer';
  const said = fields.actionPerformed ?? 'no action reported';
  const event: ParsedEvent = {
    vendor: 'eset',
    product: 'ESET PROTECT',
    eventType,
    severity,
    occurredAt: parseVendorTime(fields.occurredAt, { dayFirst }) ?? input.syslog?.timestamp ?? input.capturedAt,
    summary: isInspect
      ? `ESET Inspect alert on ${host}: ${name ?? 'unnamed rule'}`
      : `${ransomware ? 'Ransomware' : 'Threat'} ${name ?? '(unnamed)'}${fields.detectionType ? ` (${fields.detectionType})` : ''} on ${host}: ${said}${handled === false ? ', NOT handled' : ''}`,
    format,
  };
  if (fields.severity !== undefined) event.vendorSeverity = fields.severity;
  const computer = compact({ name: fields.computerName, user: fields.loggedUser, ip: fields.ipAddress });
  if (Object.keys(computer).length > 0) event.computer = computer;
  const threat = compact({ name, type: fields.detectionType, object: fields.objectUri ?? fields.processName, hash: fields.hash });
  if (Object.keys(threat).length > 0) event.threat = threat;
  if (fields.actionPerformed !== undefined) {
    event.action = normalized.action;
    event.actionText = fields.actionPerformed;
  }
  if (handled !== undefined) event.handled = handled;
  const extra = compact({ scanner: fields.scanner, objectType: fields.objectType, group: fields.group, time: fields.occurredAt, severityScore: fields.severityScore });
  if (Object.keys(extra).length > 0) event.extra = extra;
  return event;
}

function compact(object: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

// Status notices are plain sentences, so they are only claimed when something else says the sender is ESET.
function saysEset(input: ParserInput): boolean {
  const clues = `${input.subject ?? ''} ${input.from ?? ''} ${input.syslog?.appName ?? ''} ${input.text.slice(0, 4096)}`;
  return /\bESET\b|ERAServer|\bERA\b|\bESMC\b|dynamic group|grupo din[aá]mico/i.test(clues);
}

const QUOTED_GROUP = /(?:dynamic group|grupo din[aá]mico)[ \t]*:?[ \t]*["'“«]([^"'”»\n]{1,120})["'”»]/i;
const BARE_GROUP = /(?:dynamic group|grupo din[aá]mico)[ \t]*:?[ \t]*([^\n.:]{1,120}?)(?=\s+(?:has|now|contains|changed|tiene|ahora|contiene|cambi)|[.:\n]|$)/i;

// The dynamic group a notice is about: a quoted name first, else the words up to the verb.
function groupName(text: string): string | undefined {
  const name = (QUOTED_GROUP.exec(text) ?? BARE_GROUP.exec(text))?.[1]?.trim();
  return name === '' ? undefined : name;
}

// `fields` are detectionFields(input.text), which the caller has computed already.
function statusNotice(input: ParserInput, format: string, fields: Fields): ParsedEvent | null {
  if (!saysEset(input)) return null;
  const subject = input.subject?.trim() ?? '';
  const text = `${subject}\n${input.text}`;
  const rule = STATUS_RULES.find((r) => r.pattern.test(text));
  if (!rule) return null;
  let severity: Severity = rule.severity;
  if (rule.eventType === 'licence' && LICENCE_URGENT.test(text)) severity = 'medium';
  const event: ParsedEvent = {
    vendor: 'eset',
    product: 'ESET PROTECT',
    eventType: rule.eventType,
    severity,
    occurredAt: input.syslog?.timestamp ?? input.capturedAt,
    summary: `ESET ${rule.what}: ${firstLine(subject || input.text, 160)}`,
    format,
  };
  const extra: Record<string, string> = { notice: rule.what };
  const group = groupName(input.text) ?? groupName(subject);
  if (group) extra.group = group;
  const affected = /(\d+)\s+(?:of\s+\d+\s+|de\s+\d+\s+)?(?:computers|computer|equipos|equipo|devices|dispositivos|clients|clientes|members|miembros)\b/i.exec(text);
  if (affected?.[1]) event.computersAffected = Number(affected[1]);
  const percent = /(\d+(?:[.,]\d+)?)\s*%/.exec(text);
  if (percent?.[1]) extra.percent = percent[1].replace(',', '.');
  const days = /(\d+)\s+(?:days|d[ií]as)\b/i.exec(text);
  if (days?.[1]) extra.days = days[1];
  if (fields.computerName) event.computer = { name: fields.computerName };
  const when = parseVendorTime(fields.occurredAt, { dayFirst: format.endsWith('-es') });
  if (when) event.occurredAt = when;
  event.extra = extra;
  return event;
}

/** Parses an ESET notification text (syslog, SNMP varbind or e-mail body); null when it is none of ours. */
export function parseEsetNotification(input: ParserInput): ParsedEvent[] | null {
  const text = input.text;
  // isSpanish reads the first 4 KB: only that much of a long body is joined to the subject (and copied).
  const language = isSpanish(`${input.subject ?? ''}\n${text.slice(0, 4096)}`) ? 'es' : 'en';
  const format = `eset/text-${language}`;
  const dayFirst = language === 'es';
  const fallback = input.syslog?.timestamp ?? input.capturedAt;
  const threshold = parseThreshold(text, format, fallback, dayFirst);
  if (threshold) return [threshold];
  const fields = detectionFields(text);
  const single = singleDetection(fields, input, format, dayFirst);
  if (single) return [single];
  const status = statusNotice(input, format, fields);
  return status ? [status] : null;
}
