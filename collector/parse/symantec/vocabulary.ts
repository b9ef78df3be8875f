// SEPM's own words, English and Spanish, mapped to the closed lists of the event model: what it did about a risk
// (ACTIONS and "handled": whether the product resolved it or a person must act), its severity codes, and what the
// free text of system and admin records is about. First match wins everywhere, so specific rules stand first.
import type { ActionTaken, EventType, Severity } from '../../../protocol/event.js';
import { labelKey } from './fields.js';
import { DOWN, FAILED, LOGON_FAILED, SERVER_PART, UPDATE } from './languages.js';

/** An action as the event model keeps it. */
export interface SepmAction {
  action: ActionTaken;
  handled: boolean;
}

// Order matters: failures first so "Clean failed" never reads as "Cleaned", "not blocked" before "blocked",
// deletion before cleaning so "Cleaned by deletion" reads as deleted.
const ACTION_RULES: [RegExp, SepmAction][] = [
  [/fail|invalid|unable|could not|error|no se pudo|fall(o|aron|ida|ido)|no valid/, { action: 'failed', handled: false }],
  [/not blocked|no bloquead|sin bloquear/, { action: 'left-alone', handled: false }],
  [/pending|restart|reboot|reinicio|reiniciar|pendiente/, { action: 'unknown', handled: false }],
  [/by deletion|deleted|delete|por eliminacion|eliminad|borrad|suprimid/, { action: 'deleted', handled: true }],
  [/quarantin|cuarentena/, { action: 'quarantined', handled: true }],
  [/clean|repair|limpi|reparad/, { action: 'cleaned', handled: true }],
  [/access denied|acceso denegado|block|bloque|denied|denegad|terminat|terminad|prevent|impedid|detenid/, { action: 'blocked', handled: true }],
  [/left alone|leave alone|dejad|dejar|ignorad|sin accion|no action|ninguna|allow|permit|continue|log only|detected|detectad/, { action: 'left-alone', handled: false }],
];

// The rule a text matches, or undefined when SEPM used words we do not know.
function matchAction(text: string | undefined): SepmAction | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const key = labelKey(text);
  return ACTION_RULES.find(([pattern]) => pattern.test(key))?.[1];
}

/** Maps one SEPM action text ("Cleaned by deletion", "Dejado como está", "All actions failed"). */
export function mapSepmAction(text: string | undefined): SepmAction | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return matchAction(text) ?? { action: 'unknown', handled: false };
}

/** The outcome of a risk: the actual action decides; the secondary one only when the actual one is unknown words. */
export function riskOutcome(actual: string | undefined, secondary: string | undefined): SepmAction & { text?: string } {
  const first = matchAction(actual);
  if (first !== undefined) return { ...first, text: actual };
  const second = matchAction(secondary);
  if (second !== undefined) return { ...second, text: secondary };
  const fallback = mapSepmAction(actual ?? secondary);
  return fallback !== undefined ? { ...fallback, text: actual ?? secondary } : { action: 'unknown', handled: false };
}

/** Risk names and categories that say ransomware: the one threat that gets its own event type. */
export function isRansomware(...texts: (string | undefined)[]): boolean {
  return texts.some((t) => t !== undefined && /ransom|cryptolocker|wannacry|\.locky|crypt\.ransom/i.test(t));
}

/** SEPM application/device control and security-log database severity codes (1 Critical … 13 Information). */
export function severityFromCode(code: string | undefined): 'critical' | 'high' | 'medium' | 'info' | undefined {
  if (code === undefined) return undefined;
  const word = labelKey(code);
  if (/^(critical|critico|critica)$/.test(word)) return 'critical';
  if (/^(major|mayor|alta|high)$/.test(word)) return 'high';
  if (/^(minor|menor|media|medium)$/.test(word)) return 'medium';
  if (/^(info|information|informational|informacion|informativo)$/.test(word)) return 'info';
  const n = Number.parseInt(word, 10);
  if (!Number.isFinite(n) || n < 0 || n > 15) return undefined;
  // The schema speaks of ranges: 0–3 Critical, 4–7 Major, 8–11 Minor, 12–15 Information.
  if (n <= 3) return 'critical';
  if (n <= 7) return 'high';
  if (n <= 11) return 'medium';
  return 'info';
}

/** Syslog PRI severity (RFC 5424 numbers) in SEPM's words, kept as the vendor severity of system records. */
export function syslogSeverityName(severity: number | undefined): string | undefined {
  if (severity === undefined) return undefined;
  if (severity <= 3) return 'Error';
  if (severity === 4) return 'Warning';
  return 'Information';
}

// System and admin records carry free text ("The administrator's user name or password is incorrect"); these
// rules say what it is about.

/** What a piece of SEPM text is about. */
export interface TextClass {
  eventType: EventType;
  severity: Severity;
}

// A and B in either order within one description (its first 600 characters: see classifyText).
const either = (a: string, b: string): RegExp => new RegExp(`(?:${a}).*(?:${b})|(?:${b}).*(?:${a})`);

const TEXT_RULES: [RegExp, TextClass][] = [
  [new RegExp(LOGON_FAILED), { eventType: 'authentication-failure', severity: 'medium' }],
  [/over.?deploy|exceed|expired|has expired|sobreimplementa|exceso de implementa|excedi|vencid|caducad.*licen|licen.*caducad|licen.*(expire|abgelaufen|scadut|expirad)/, { eventType: 'licence', severity: 'medium' }],
  [/licen[cs]|lizenz/, { eventType: 'licence', severity: 'low' }],
  [/out.of.date|outdated|desactualizad|obsolet|perime|veraltet|desatualizad|non aggiornat/, { eventType: 'definitions-outdated', severity: 'medium' }],
  // A failed update or download, in any of the console's languages ("Échec de LiveUpdate", "Falha no LiveUpdate").
  [either(UPDATE, FAILED), { eventType: 'definitions-outdated', severity: 'medium' }],
  // The server losing its own database is its health, whoever words it as a connection.
  [/connect.*(database|base de datos|base de donnees|banco de dados|datenbank)/, { eventType: 'server-health', severity: 'medium' }],
  [/not connected|disconnected|lost (the )?connection|could not connect|cannot connect|unable to connect|no (se pudo|puede) conectar|desconectad|sin conexion/, { eventType: 'client-not-connected', severity: 'medium' }],
  [either(SERVER_PART, `${FAILED}|${DOWN}`), { eventType: 'server-health', severity: 'medium' }],
  [/log ?on succeeded|logged (on|in)|log ?off|policy|politica|added|deleted|edited|modified|renamed|moved|imported|created|agregad|eliminad|editad|modificad|movid|cread|inicio de sesion correcto/, { eventType: 'audit', severity: 'info' }],
];

/** Classifies a system or admin description; `fallback` when no rule speaks. */
export function classifyText(text: string, fallback: TextClass): TextClass {
  // The rules' `a.*b` shapes backtrack on long input: a description says what it is in its first sentences.
  const key = labelKey(text.slice(0, 600));
  for (const [pattern, result] of TEXT_RULES) {
    if (pattern.test(key)) return result;
  }
  return fallback;
}

/** Raises a severity to at least `floor` (a syslog Error never reads as info). */
export function atLeast(severity: Severity, floor: Severity): Severity {
  const order: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
  return order.indexOf(severity) >= order.indexOf(floor) ? severity : floor;
}
