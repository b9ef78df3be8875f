// The SEPM agent behaviour log: Application and Device Control. Its head is positional:
// host, IP, action ("Blocked", "Continue"), description, API ("File Write"); after `Rule:` come, again positional,
// caller process id, caller process, return address, return module and the target (file, registry key, device).
import type { ParsedEvent, Severity } from '../../../protocol/event.js';
import type { ParserInput } from '../types.js';
import { mapSepmAction, severityFromCode } from './vocabulary.js';
import { phrase, sepmEvent } from './build.js';
import { spellings } from './fields.js';
import type { SepmFields } from './fields.js';
import { firstSepmTime } from './time.js';
import { BEGIN, END_TIME, DOMAIN_NAME, SEVERITY, USER_NAME, RULE } from './labels.js';

// Label spellings, folded once (fields.ts).
const ACTION_TYPE = spellings(['Action Type']);
const DEVICE_ID = spellings(['Device ID']);

/** True when a record is an Application and Device Control record. Its head is positional, and SEP 14.3 leaves
 *  any of it empty (`HOST,,Blocked,C:\…\ccSvcHst.exe,,Begin: …,Rule: ,…`): the places are checked, not the values. */
export function isBehaviorRecord(fields: SepmFields): boolean {
  return (
    fields.hasAny(RULE) &&
    fields.hasAny(BEGIN) &&
    (fields.hasAny(ACTION_TYPE) || fields.hasAny(DEVICE_ID)) &&
    fields.all.slice(0, 5).every((f) => f.label === undefined) &&
    (fields.all[0]?.value ?? '') !== ''
  );
}

// The positional fields that follow `Rule:` in the record.
function afterRule(fields: SepmFields): string[] {
  const rule = fields.all.find((f) => f.label !== undefined && /^rule$/i.test(f.label));
  if (rule === undefined) return [];
  const out: string[] = [];
  for (const field of fields.all.slice(rule.index + 1)) {
    if (field.label !== undefined) break;
    out.push(field.value);
  }
  return out;
}

/** Turns one Application and Device Control record into a HIPS event. The description and the rule say what the
 *  control did, not which threat it met: they go to `extra` and the summary, never to `threat.name`. */
export function behaviorEvent(input: ParserInput, fields: SepmFields): ParsedEvent {
  const [host, ip, actionWord, description, api] = fields.all.slice(0, 5).map((f) => (f.label === undefined && f.value !== '' ? f.value : undefined));
  const [, callerProcess, , , target] = afterRule(fields).map((v) => (v === '' ? undefined : v));
  const rule = fields.getAny(RULE);
  const mapped = mapSepmAction(actionWord);
  const deviceId = fields.getAny(DEVICE_ID);
  // "Application and Device Control is ready" names both; only a record about a device is Device Control.
  const about = `${description ?? ''} ${rule ?? ''}`.replace(/application and device control/gi, '');
  const device = deviceId !== undefined && /device|usb|dispositivo/i.test(about);
  const vendorSeverity = fields.getAny(SEVERITY);
  const coded = severityFromCode(vendorSeverity);
  const severity: Severity = coded ?? (mapped?.action === 'blocked' ? 'low' : 'info');
  const extra: Record<string, string> = {};
  if (description !== undefined) extra['Description'] = description;
  if (rule !== undefined) extra['Rule'] = rule;
  if (api !== undefined) extra['API'] = api;
  if (callerProcess !== undefined) extra['Caller process'] = callerProcess;
  return sepmEvent(input, fields, {
    kind: 'syslog-behavior',
    eventType: 'hips',
    vendorSeverity,
    severity,
    occurredAt: firstSepmTime([fields.getAny(BEGIN), fields.getAny(END_TIME)]),
    computer: {
      name: host,
      ip,
      user: fields.getAny(USER_NAME),
      domain: fields.getAny(DOMAIN_NAME),
    },
    threat: {
      type: device ? 'Device Control' : 'Application and Device Control',
      object: target !== undefined && !/^none$/i.test(target) ? target : callerProcess,
    },
    action: mapped?.action,
    actionText: actionWord,
    // "Continue" lets a process go on: nothing was resolved, but nothing waits for a person either.
    handled: mapped?.action === 'blocked' ? true : undefined,
    extra,
    summary: phrase(
      device ? 'Device Control:' : 'Application and Device Control:',
      description ?? api ?? 'operation',
      rule !== undefined && `(rule ${rule})`,
      host !== undefined && `on ${host}`,
      actionWord !== undefined && `- ${actionWord}`,
    ),
  });
}
