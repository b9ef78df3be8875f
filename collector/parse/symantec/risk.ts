// The SEPM risk log (virus and security-risk detections, SONAR/proactive detections) in both label sets: the old
// one (≤ 14.3 MP1: `Inserted`, `End`, `Domain`, `User`, file path positional) and the 14.3 RU1+ one
// (`Event Insert Time`, `End Time`, `Domain Name`, `User Name`, `File path:`). Also read by single-risk e-mails.
import type { ParsedEvent, Severity } from '../../../protocol/event.js';
import type { ParserInput } from '../types.js';
import { isRansomware, riskOutcome } from './vocabulary.js';
import { phrase, sepmEvent, sha256Of } from './build.js';
import type { SepmFields } from './fields.js';
import { firstSepmTime } from './time.js';
import type { SepmLanguage } from './time.js';

// The first field of a risk record names what happened; SEPM has more of these than the four documented ones.
// A Spanish console may localize it ("Virus encontrado", "Riesgo de seguridad encontrado") [assumed, no sample].
const RISK_KIND = /^(virus found|security risk found|potential risk found|forced sonar threat detected|.*\b(risk|virus|threat|sonar|riesgo|amenaza)\b.*\b(found|detected|failed|encontrad[oa]|detectad[oa]|fall[oó])\b.*)$/i;

/** True when a record is a risk-log record. */
export function isRiskRecord(fields: SepmFields): boolean {
  const kind = riskKind(fields);
  return kind !== undefined || (fields.has('Risk name', 'Nombre del riesgo') && fields.has('Actual action', 'Acción real'));
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
  const spanish = fields.has('Nombre del equipo', 'Nombre del riesgo', 'Acción real', 'Hora del evento');
  const language = context.language ?? (spanish ? 'es' : 'en');
  const kind = riskKind(fields);
  const title = context.title ?? kind ?? 'Risk found';
  const riskName = fields.get('Risk name', 'Risk', 'Virus name', 'Security risk name', 'Nombre del riesgo', 'Riesgo', 'Nombre de la amenaza', 'Amenaza');
  const applicationName = fields.get('Application name', 'Nombre de la aplicación');
  const categorySet = fields.get('Category set');
  const categoryType = fields.get('Category type');
  const riskLevel = fields.get('Risk Level', 'Nivel de riesgo');
  const path = fields.get('File path', 'File', 'Path', 'Archivo', 'Ruta', 'Ruta del archivo') ?? positionalPath(fields);
  const outcome = riskOutcome(
    fields.get('Actual action', 'Action taken', 'Action', 'Acción real', 'Acción realizada', 'Acción'),
    fields.get('Secondary action', 'Acción secundaria'),
  );
  const hashType = fields.get('Hash type');
  const applicationHash = fields.get('Application hash', 'Hash');
  const hash = sha256Of(fields.get('SHA-256', 'SHA256'), /sha-?2|256/i.test(hashType ?? 'sha2') ? applicationHash : undefined);
  // A hash that is not a SHA-256 (SHA-1, placeholders) stays visible in `extra` rather than lost.
  const oddHash = hash === undefined && applicationHash !== undefined
    ? { 'Application hash': applicationHash, ...(hashType === undefined ? {} : { 'Hash type': hashType }) }
    : undefined;
  const computerName = fields.get('Computer name', 'Computer', 'Nombre del equipo', 'Equipo', 'Nombre de equipo');
  const threatName = riskName ?? applicationName;
  const ransomware = isRansomware(riskName, categorySet, categoryType, applicationName);

  // E-mails may name a risk without saying what was done: a detection whose outcome is unknown.
  const reported = outcome.text !== undefined;
  let severity: Severity = !reported ? (context.unreportedSeverity ?? 'medium') : outcome.handled ? 'medium' : 'high';
  if (!outcome.handled && /potential/i.test(title) && /^(low|baja?)$/i.test(riskLevel ?? '')) severity = 'medium';
  if (ransomware) severity = 'critical';

  return sepmEvent(input, fields, {
    kind: context.kind ?? (spanish ? 'syslog-risk-es' : 'syslog-risk'),
    eventType: ransomware ? 'ransomware' : outcome.handled || !reported ? 'threat-detected' : 'threat-not-cleaned',
    vendorSeverity: riskLevel,
    severity,
    occurredAt: firstSepmTime(
      [
        fields.get('Event time', 'Date found', 'Time', 'Hora del evento', 'Fecha de detección', 'Fecha', 'Hora'),
        fields.get('Begin', 'Inicio'),
        fields.get('End', 'End Time', 'Fin'),
        fields.get('Inserted', 'Event Insert Time'),
      ],
      language,
    ),
    computer: {
      name: computerName,
      ip: fields.get('IP Address', 'Dirección IP', 'IP'),
      user: fields.get('User', 'User Name', 'Usuario', 'Nombre de usuario'),
      domain: fields.get('Domain', 'Domain Name', 'Dominio', 'Nombre de dominio'),
    },
    threat: {
      name: threatName,
      type: categoryType ?? categorySet ?? fields.get('Detection type', 'Risk type', 'Tipo de riesgo', 'Tipo') ?? kind,
      object: path,
      hash,
    },
    action: reported ? outcome.action : undefined,
    actionText: outcome.text,
    handled: reported ? outcome.handled : undefined,
    count: fields.count('Occurrences', 'Ocurrencias', 'Repeticiones'),
    extra: oddHash,
    summary: phrase(
      `${title}:`,
      threatName ?? '(unnamed risk)',
      computerName !== undefined && `on ${computerName}`,
      path !== undefined && `(${path})`,
      `- ${outcome.text ?? 'no action reported'}`,
      reported && !outcome.handled && '(NOT resolved)',
    ),
  });
}
