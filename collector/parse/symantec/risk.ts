// The SEPM risk log (virus and security-risk detections, SONAR/proactive detections) in both label sets: the old
// one (≤ 14.3 MP1: `Inserted`, `End`, `Domain`, `User`, file path positional) and the 14.3 RU1+ one
// (`Event Insert Time`, `End Time`, `Domain Name`, `User Name`, `File path:`). Also read by single-risk e-mails.
import type { ParsedEvent, Severity } from '../../../protocol/event.js';
import type { ParserInput } from '../types.js';
import { isRansomware, riskOutcome } from './vocabulary.js';
import { phrase, sepmEvent, sha256Of } from './build.js';
import { spellings } from './fields.js';
import type { SepmFields } from './fields.js';
import { firstSepmTime } from './time.js';
import type { SepmLanguage } from './time.js';

// Label spellings, folded once (fields.ts).
const RISK_NAME_LABEL = spellings(['Risk name', 'Nombre del riesgo']);
const ACTUAL_ACTION_LABEL = spellings(['Actual action', 'Acción real']);
const SPANISH_LABELS = spellings(['Nombre del equipo', 'Nombre del riesgo', 'Acción real', 'Hora del evento']);
const RISK_NAME = spellings(['Risk name', 'Risk', 'Virus name', 'Security risk name', 'Nombre del riesgo', 'Riesgo', 'Nombre de la amenaza', 'Amenaza']);
const APPLICATION_NAME = spellings(['Application name', 'Nombre de la aplicación']);
const CATEGORY_SET = spellings(['Category set']);
const CATEGORY_TYPE = spellings(['Category type']);
const RISK_LEVEL = spellings(['Risk Level', 'Nivel de riesgo']);
const FILE_PATH = spellings(['File path', 'File', 'Path', 'Archivo', 'Ruta', 'Ruta del archivo']);
const ACTION = spellings(['Actual action', 'Action taken', 'Action', 'Acción real', 'Acción realizada', 'Acción']);
const SECONDARY_ACTION = spellings(['Secondary action', 'Acción secundaria']);
const HASH_TYPE = spellings(['Hash type']);
const APPLICATION_HASH = spellings(['Application hash', 'Hash']);
const SHA_256 = spellings(['SHA-256', 'SHA256']);
const COMPUTER_NAME = spellings(['Computer name', 'Computer', 'Nombre del equipo', 'Equipo', 'Nombre de equipo']);
const EVENT_TIME = spellings(['Event time', 'Date found', 'Time', 'Hora del evento', 'Fecha de detección', 'Fecha', 'Hora']);
const BEGIN = spellings(['Begin', 'Inicio']);
const END = spellings(['End', 'End Time', 'Fin']);
const INSERTED = spellings(['Inserted', 'Event Insert Time']);
const IP_ADDRESS = spellings(['IP Address', 'Dirección IP', 'IP']);
const USER = spellings(['User', 'User Name', 'Usuario', 'Nombre de usuario']);
const DOMAIN = spellings(['Domain', 'Domain Name', 'Dominio', 'Nombre de dominio']);
const DETECTION_TYPE = spellings(['Detection type', 'Risk type', 'Tipo de riesgo', 'Tipo']);
const OCCURRENCES = spellings(['Occurrences', 'Ocurrencias', 'Repeticiones']);

// The first field of a risk record names what happened; SEPM has more of these than the four documented ones.
// A Spanish console may localize it ("Virus encontrado", "Riesgo de seguridad encontrado") [assumed, no sample].
const RISK_KIND = /^(virus found|security risk found|potential risk found|forced sonar threat detected|.*\b(risk|virus|threat|sonar|riesgo|amenaza)\b.*\b(found|detected|failed|encontrad[oa]|detectad[oa]|fall[oó])\b.*)$/i;

/** True when a record is a risk-log record. */
export function isRiskRecord(fields: SepmFields): boolean {
  const kind = riskKind(fields);
  return kind !== undefined || (fields.hasAny(RISK_NAME_LABEL) && fields.hasAny(ACTUAL_ACTION_LABEL));
}

/** The risk record's leading event name ("Virus found"); legacy lines may start with an empty field. */
export function riskKind(fields: SepmFields): string | undefined {
  const lead = fields.all.find((f) => f.label !== undefined || f.value !== '');
  if (lead === undefined || lead.label !== undefined) return undefined;
  // Event names are short; testing a long field against RISK_KIND would backtrack for minutes on garbage.
  return lead.value.length <= 80 && RISK_KIND.test(lead.value) ? lead.value : undefined;
}

// Old-format records carry the file path as the positional field right after `Occurrences`.
function positionalPath(fields: SepmFields): string | undefined {
  const occurrences = fields.all.find((f) => f.label !== undefined && /^occurrences$/i.test(f.label));
  const after = occurrences === undefined ? undefined : fields.all[occurrences.index + 1];
  const candidate = after?.label === undefined ? after?.value.replace(/^['"]+|['"]+$/g, '') : undefined;
  if (candidate !== undefined && candidate !== '') return candidate;
  return fields.positional.find((f) => /^([a-z]:[\\/]|\\\\|\/)/i.test(f.value))?.value;
}

/** Options for risk records read from an e-mail instead of a syslog line. */
export interface RiskContext {
  kind?: string;
  language?: SepmLanguage;
  /** Overrides the leading event name, e.g. the e-mail's condition ("Single risk event"). */
  title?: string;
  /** Severity when the source names a risk but no action (a "new risk detected" e-mail). */
  unreportedSeverity?: Severity;
}

/** Turns one risk record into its event. */
export function riskEvent(input: ParserInput, fields: SepmFields, context: RiskContext = {}): ParsedEvent {
  const spanish = fields.hasAny(SPANISH_LABELS);
  const language = context.language ?? (spanish ? 'es' : 'en');
  const kind = riskKind(fields);
  const title = context.title ?? kind ?? 'Risk found';
  const riskName = fields.getAny(RISK_NAME);
  const applicationName = fields.getAny(APPLICATION_NAME);
  const categorySet = fields.getAny(CATEGORY_SET);
  const categoryType = fields.getAny(CATEGORY_TYPE);
  const riskLevel = fields.getAny(RISK_LEVEL);
  const path = fields.getAny(FILE_PATH) ?? positionalPath(fields);
  const outcome = riskOutcome(
    fields.getAny(ACTION),
    fields.getAny(SECONDARY_ACTION),
  );
  const { hash, oddHash } = riskHash(fields);
  const computerName = fields.getAny(COMPUTER_NAME);
  // Only `Risk name` names a threat. SONAR leaves it empty and names the application it watched: that is the
  // object of the detection, kept in `extra` and the summary, never the threat's name.
  const threatName = riskName;
  const ransomware = isRansomware(riskName, categorySet, categoryType, applicationName);

  // E-mails may name a risk without saying what was done: a detection whose outcome is unknown.
  const reported = outcome.text !== undefined;
  const severity = ransomware ? 'critical' : riskSeverity(reported, outcome.handled, title, riskLevel, context);

  return sepmEvent(input, fields, {
    kind: context.kind ?? (spanish ? 'syslog-risk-es' : 'syslog-risk'),
    eventType: ransomware ? 'ransomware' : outcome.handled || !reported ? 'threat-detected' : 'threat-not-cleaned',
    vendorSeverity: riskLevel,
    severity,
    occurredAt: firstSepmTime([fields.getAny(EVENT_TIME), fields.getAny(BEGIN), fields.getAny(END), fields.getAny(INSERTED)], language),
    computer: {
      name: computerName,
      ip: fields.getAny(IP_ADDRESS),
      user: fields.getAny(USER),
      domain: fields.getAny(DOMAIN),
    },
    threat: {
      name: threatName,
      type: categoryType ?? categorySet ?? fields.getAny(DETECTION_TYPE) ?? kind,
      object: path,
      hash,
    },
    action: reported ? outcome.action : undefined,
    actionText: outcome.text,
    handled: reported ? outcome.handled : undefined,
    count: fields.countAny(OCCURRENCES),
    extra: threatName === undefined && applicationName !== undefined ? { ...oddHash, 'Application name': applicationName } : oddHash,
    summary: phrase(
      `${title}:`,
      threatName ?? (applicationName !== undefined ? `application ${applicationName}` : '(unnamed risk)'),
      computerName !== undefined && `on ${computerName}`,
      path !== undefined && `(${path})`,
      `- ${outcome.text ?? 'no action reported'}`,
      reported && !outcome.handled && '(NOT resolved)',
    ),
  });
}

// The detection's SHA-256, from its own field or a SHA-2 application hash; any other hash (SHA-1, placeholders)
// stays visible in `extra` rather than lost.
function riskHash(fields: SepmFields): { hash: string | undefined; oddHash: Record<string, string> | undefined } {
  const hashType = fields.getAny(HASH_TYPE);
  const applicationHash = fields.getAny(APPLICATION_HASH);
  const hash = sha256Of(fields.getAny(SHA_256), /sha-?2|256/i.test(hashType ?? 'sha2') ? applicationHash : undefined);
  const oddHash = hash === undefined && applicationHash !== undefined
    ? { 'Application hash': applicationHash, ...(hashType === undefined ? {} : { 'Hash type': hashType }) }
    : undefined;
  return { hash, oddHash };
}

// Ransomware aside (always critical): a risk left unhandled is high, a handled one medium; a low-level potential
// risk stays medium even unhandled; an e-mail naming no action gets its condition's severity.
function riskSeverity(reported: boolean, handled: boolean, title: string, riskLevel: string | undefined, context: RiskContext): Severity {
  let severity: Severity = !reported ? (context.unreportedSeverity ?? 'medium') : handled ? 'medium' : 'high';
  if (!handled && /potential/i.test(title) && /^(low|baja?)$/i.test(riskLevel ?? '')) severity = 'medium';
  return severity;
}
