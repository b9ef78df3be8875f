// SEPM administrator notification e-mails. No public copy of one exists (research §2.2), so this reads them
// loosely: the condition from the subject (else the first lines), then `Label: value` lines in English or Spanish,
// then sentences with numbers ("12 computers", "5 errores de inicio de sesión"). Event times are GMT (KB 152100).
import type { ParsedEvent, Severity } from '../../../protocol/event.js';
import { splitLines } from '../common/labels.js';
import type { ParserInput } from '../types.js';
import { phrase, sepmEvent } from './build.js';
import { EMAIL_SPELLINGS, bodyLanguage, findCondition } from './email-conditions.js';
import type { EmailCondition } from './email-conditions.js';
import { SepmFields, labelKey, parseField } from './fields.js';
import type { SepmField } from './fields.js';
import { isRiskRecord, riskEvent } from './risk.js';
import { firstSepmTime } from './time.js';
import type { SepmLanguage } from './time.js';
import { classifyText, isRansomware } from './vocabulary.js';

/** True when the e-mail names a SEPM notification condition in its subject or its first lines. */
export function sepmEmailCondition(input: ParserInput): ReturnType<typeof findCondition> {
  // Only the head is searched: a condition's name opens the mail, and long input would make the patterns crawl.
  const head = splitLines(input.text.slice(0, 2000)).slice(0, 6).join(' ');
  return findCondition((input.subject ?? '').slice(0, 500)) ?? findCondition(head);
}

// Each body line is one field; a table row converted to text ("Label<TAB>value") counts as labelled too.
function bodyFields(text: string): { fields: SepmFields; records: SepmFields[] } {
  const fields: SepmField[] = [];
  const records: SepmFields[] = [];
  for (const raw of splitLines(text)) {
    const line = (raw.includes('\u00a0') ? raw.replace(/\u00a0/g, ' ') : raw).trim();
    if (line === '') continue;
    // A risk-log row pasted into the body ("Virus found,Computer name: …"): kept whole for the risk reader.
    if (hasCommas(line, 3)) {
      const record = SepmFields.of(line);
      if (isRiskRecord(record)) {
        records.push(record);
        continue;
      }
    }
    const tabbed = /^([^\t:]{1,60})\t+(.+)$/.exec(line);
    fields.push(
      tabbed?.[1] !== undefined && tabbed[2] !== undefined
        ? { label: tabbed[1].trim(), value: tabbed[2].trim(), index: fields.length }
        : parseField(line, fields.length),
    );
  }
  return { fields: new SepmFields(fields), records };
}

// True when the text holds at least `count` commas (what `split(',').length > count` says, without the split).
function hasCommas(text: string, count: number): boolean {
  let at = -1;
  for (let seen = 0; seen < count; seen += 1) {
    at = text.indexOf(',', at + 1);
    if (at < 0) return false;
  }
  return true;
}

// "12 computers", "37 riesgos": the first number before one of the words, for bodies written as sentences.
function numberBefore(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  if (m?.[1] === undefined) return undefined;
  const n = Number.parseInt(m[1].replace(/[.,]/g, ''), 10);
  return Number.isFinite(n) ? n : undefined;
}

// A number, up to two words, then one of `words`; compiled once per list, not once per e-mail.
function numberBeforeWords(words: string): RegExp {
  // Bounded digit run: an unbounded one backtracks quadratically over a long string of digits.
  return new RegExp(String.raw`(\d[\d.,]{0,12})\s+(?:[\p{L}-]{1,40}\s+){0,2}?(?:${words})`, 'iu');
}

const COMPUTER_WORDS = numberBeforeWords('computers?|clients?|equipos?|clientes?|endpoints?');
const RISK_WORDS = numberBeforeWords('risks?|occurrences?|detections?|events?|infections?|riesgos?|ocurrencias?|detecciones?|eventos?|infecciones?');
const FAILURE_WORDS = numberBeforeWords('logon failures?|log on failures?|login failures?|failed logons?|failures?|errores|fallos|intentos fallidos');

/** Parses one SEPM notification e-mail into its event(s). */
export function parseSepmEmail(input: ParserInput): ParsedEvent[] {
  const found = sepmEmailCondition(input);
  const language: SepmLanguage = found?.language ?? bodyLanguage(`${input.subject ?? ''}\n${input.text.slice(0, 20_000)}`);
  const { fields, records } = bodyFields(input.text);
  const condition = found?.condition;
  const kind = `email-${condition?.id ?? 'unknown'}${language === 'es' ? '-es' : ''}`;
  // The body folded for numberBefore: long, and needed only when no labelled count was found, so folded on demand.
  let folded: string | undefined;
  const flatBody = (): string => (folded ??= labelKey(input.text.slice(0, 20_000)));

  if (condition !== undefined && (condition.id === 'single-risk' || condition.id === 'new-risk')) {
    const rows = records.length > 0 ? records : [fields];
    return rows.map((row) =>
      riskEvent(input, row, { kind, language, title: condition.title, unreportedSeverity: condition.severity }),
    );
  }
  if (condition === undefined) return [unknownEmail(input, fields, kind, language)];

  const computerList = fields.getAny(EMAIL_SPELLINGS.computers);
  const listed = computerList?.split(/[,;]\s*/).filter((c) => c.trim() !== '').length;
  // Only conditions about many computers count them; elsewhere a number before "clients" means something else.
  const countsComputers = ['outbreak', 'definitions', 'client-list', 'client-security'].includes(condition.id);
  const computersAffected = countsComputers
    ? (fields.countAny(EMAIL_SPELLINGS.computerCount) ?? numberBefore(flatBody(), COMPUTER_WORDS) ?? listed)
    : undefined;
  const riskName = fields.getAny(EMAIL_SPELLINGS.riskName);
  const { count, severity, detail } = readCondition(condition, fields, { records: records.length, computersAffected, riskName, flatBody });

  // Without a detail, the body's first sentence says more than the subject, which is the condition's name.
  const sentence = fields.positional.find((f) => f.value !== '')?.value;
  const text = detail !== undefined && detail !== '' ? detail : (sentence ?? input.subject ?? '');
  const user = fields.getAny(EMAIL_SPELLINGS.user);
  // Server health concerns the management server itself; other conditions keep `Server` in extra.
  const computerName =
    fields.getAny(EMAIL_SPELLINGS.computer) ?? (condition.eventType === 'server-health' ? fields.getAny(EMAIL_SPELLINGS.server) : undefined);
  return [
    sepmEvent(input, fields, {
      kind,
      eventType: condition.eventType === 'outbreak' && isRansomware(riskName) ? 'ransomware' : condition.eventType,
      severity,
      occurredAt: firstSepmTime(
        [fields.getAny(EMAIL_SPELLINGS.time), fields.getAny(EMAIL_SPELLINGS.end), fields.getAny(EMAIL_SPELLINGS.begin)],
        language,
      ),
      computer: { name: computerName, ip: fields.getAny(EMAIL_SPELLINGS.ip), user },
      threat: riskName === undefined ? undefined : { name: riskName },
      count,
      computersAffected,
      summary: phrase(`${condition.title}:`, text),
    }),
  ];
}

// What a known condition's mail says beyond the common fields: how many, how grave, and the detail of the summary.
interface ConditionReading {
  count: number | undefined;
  severity: Severity;
  detail: string | undefined;
}

// What readCondition needs from parseSepmEmail: the risk rows' number, the counts already read, the folded body.
interface ConditionContext {
  records: number;
  computersAffected: number | undefined;
  riskName: string | undefined;
  flatBody: () => string;
}

function readCondition(condition: EmailCondition, fields: SepmFields, context: ConditionContext): ConditionReading {
  const { records, computersAffected, riskName, flatBody } = context;
  let count: number | undefined;
  let severity: Severity = condition.severity;
  let detail: string | undefined;
  switch (condition.id) {
    case 'outbreak':
      count = fields.countAny(EMAIL_SPELLINGS.riskCount) ?? numberBefore(flatBody(), RISK_WORDS) ?? (records || undefined);
      if (isRansomware(riskName)) severity = 'critical';
      detail = phrase(riskName, computersAffected !== undefined && `on ${computersAffected} computers`, count !== undefined && `(${count} occurrences)`);
      break;
    case 'authentication':
      count = fields.countAny(EMAIL_SPELLINGS.failures) ?? numberBefore(flatBody(), FAILURE_WORDS);
      detail = phrase(count !== undefined && `${count} failed logons`, fields.getAny(EMAIL_SPELLINGS.user) !== undefined && `as ${fields.getAny(EMAIL_SPELLINGS.user)}`);
      break;
    case 'definitions':
      detail = phrase(computersAffected !== undefined && `on ${computersAffected} computers`, fields.getAny(EMAIL_SPELLINGS.definitions) !== undefined && `(definitions ${fields.getAny(EMAIL_SPELLINGS.definitions)})`);
      break;
    case 'licence-over':
    case 'licence-paid':
    case 'licence-expiring':
      detail = licenceDetail(fields);
      break;
    default:
      detail = fields.getAny(EMAIL_SPELLINGS.status) ?? fields.getAny(EMAIL_SPELLINGS.change);
  }
  return { count, severity, detail };
}

function licenceDetail(fields: SepmFields): string {
  const deployed = fields.getAny(EMAIL_SPELLINGS.deployed);
  const seats = fields.getAny(EMAIL_SPELLINGS.seats);
  const expires = fields.getAny(EMAIL_SPELLINGS.expires);
  const days = fields.getAny(EMAIL_SPELLINGS.days);
  return phrase(
    fields.getAny(EMAIL_SPELLINGS.licence),
    deployed !== undefined && `${deployed} clients deployed`,
    seats !== undefined && `for ${seats} seats`,
    expires !== undefined && `expires ${expires}`,
    days !== undefined && `(${days} days left)`,
  );
}

// A SEPM e-mail whose condition we do not know: classified by its words, never dropped.
function unknownEmail(input: ParserInput, fields: SepmFields, kind: string, language: SepmLanguage): ParsedEvent {
  const subject = input.subject ?? '';
  const cls = classifyText(`${subject}\n${input.text}`, { eventType: 'unclassified', severity: 'info' });
  const firstLine = splitLines(input.text).find((l) => l.trim() !== '') ?? '';
  return sepmEvent(input, fields, {
    kind,
    eventType: cls.eventType,
    severity: cls.severity,
    occurredAt: firstSepmTime([fields.getAny(EMAIL_SPELLINGS.time)], language),
    computer: { name: fields.getAny(EMAIL_SPELLINGS.computer) },
    summary: phrase('SEPM notification:', subject !== '' ? subject : firstLine),
  });
}
