// The Symantec Endpoint Protection Manager (SEPM) parser: external-logging records (syslog, or the same text in a
// trap from a batch-file bridge) and administrator notification e-mails, English and Spanish, into ParsedEvents.
// Pure: no socket, clock or logger. docs/sepm.md has the formats and the mapping tables.
import type { ParsedEvent } from '../../../protocol/event.js';
import { splitLines } from '../common/labels.js';
import type { ParserInput } from '../types.js';
import { behaviorEvent, isBehaviorRecord } from './behavior.js';
import { phrase, sepmEvent } from './build.js';
import { parseSepmEmail, sepmEmailCondition } from './email.js';
import { dumpedInput, dumpPrefix } from './dump.js';
import { SepmFields } from './fields.js';
import { isSecurityRecord, isTrafficRecord, securityEvent, trafficEvent } from './network.js';
import { isPacketRecord, packetEvent } from './packet.js';
import { isRiskRecord, riskEvent } from './risk.js';
import { clientSystemEvent, isClientSystemRecord, isScanRecord, isServerRecord, scanEvent, serverEvent } from './system.js';
import { syslogSeverityName } from './vocabulary.js';

/** SEPM's time and action readers, for callers that meet SEPM text outside a capture (reports, re-parsing tools). */
export { parseSepmTime } from './time.js';
export { mapSepmAction } from './vocabulary.js';

const PROGRAM = /^symantecserver$/i;
const MARKERS = /symantec|\bsepm\b|endpoint protection manager|broadcom/i;
const ESET = /\beset\b|eraserver/i;

// A record family: how to know it, and how to read it. Order matters: the narrow shapes stand first.
const FAMILIES: [(fields: SepmFields) => boolean, (input: ParserInput, fields: SepmFields) => ParsedEvent][] = [
  [isRiskRecord, (input, fields) => riskEvent(input, fields)],
  [isScanRecord, scanEvent],
  [isServerRecord, serverEvent],
  [isClientSystemRecord, clientSystemEvent],
  [isTrafficRecord, trafficEvent],
  [isSecurityRecord, securityEvent],
  [isPacketRecord, packetEvent],
  [isBehaviorRecord, behaviorEvent],
];

function recordLines(text: string): string[] {
  // A syslog capture is one record: no need to split it.
  if (!text.includes('\n')) {
    const line = text.trim();
    return line === '' ? [] : [line];
  }
  return splitLines(text).map((l) => l.trim()).filter((l) => l !== '');
}

function familyOf(fields: SepmFields): ((input: ParserInput, fields: SepmFields) => ParsedEvent) | undefined {
  return FAMILIES.find(([test]) => test(fields))?.[1];
}

// SEP 12.1 wrote "SymantecServer host:" (program and host swapped), so either header field may carry the name.
function fromSepmProgram(input: ParserInput): boolean {
  return PROGRAM.test(input.syslog?.appName ?? '') || PROGRAM.test(input.syslog?.hostname ?? '');
}

/** True when the capture looks like SEPM output: for the front door's vendor detection. */
export function looksLikeSymantec(input: ParserInput): boolean {
  if (input.channel === 'email') {
    const head = `${input.from ?? ''}\n${input.subject ?? ''}\n${input.text.slice(0, 4000)}`;
    if (MARKERS.test(head)) return true;
    // A bare condition name ("Risk outbreak") is SEPM's unless the mail says ESET.
    return sepmEmailCondition(input) !== undefined && !ESET.test(head);
  }
  if (fromSepmProgram(input)) return true;
  return recordLines(input.text).some((line) => familyOf(SepmFields.of(dumpPrefix(line)?.record ?? line)) !== undefined);
}

/** Parses a SEPM capture into events; null when it is not SEPM content. */
export function parseSymantec(input: ParserInput): ParsedEvent[] | null {
  if (input.channel === 'email') {
    if (!looksLikeSymantec(input)) return null;
    return parseSepmEmail(input);
  }
  const fromSepm = fromSepmProgram(input);
  const events: ParsedEvent[] = [];
  let understood = 0;
  for (const line of recordLines(input.text)) {
    const dump = dumpPrefix(line);
    const fields = SepmFields.of(dump?.record ?? line);
    const family = familyOf(fields);
    if (family !== undefined) {
      events.push(dump === undefined ? family(input, fields) : dumpedEvent(family, dumpedInput(input, dump), fields, dump.severity));
      understood += 1;
    } else if (fromSepm) {
      events.push(unclassified(input, line));
    }
  }
  if (understood === 0 && !fromSepm) return null;
  if (events.length === 0) events.push(unclassified(input, input.text));
  return events;
}

// A record from a dump file: its prefix's severity is what SEPM said, unless the record said one of its own.
function dumpedEvent(
  family: (input: ParserInput, fields: SepmFields) => ParsedEvent,
  input: ParserInput,
  fields: SepmFields,
  severity: string,
): ParsedEvent {
  const event = family(input, fields);
  const derived = syslogSeverityName(input.syslog?.severity);
  if (event.vendorSeverity === undefined || event.vendorSeverity === derived) event.vendorSeverity = severity;
  return event;
}

// SEPM sent it, but in no shape we know: kept as an unclassified event with its text, never dropped.
function unclassified(input: ParserInput, line: string): ParsedEvent {
  return sepmEvent(input, undefined, {
    kind: 'syslog-unknown',
    eventType: 'unclassified',
    severity: 'info',
    summary: phrase('SEPM:', line === '' ? '(empty message)' : line),
  });
}
