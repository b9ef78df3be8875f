// What SEPM did about a risk, in its own words (English risk-log values, and the Spanish console's wording), mapped
// to the closed ACTIONS list and to "handled": whether the product resolved it or a person must act.
import type { ActionTaken } from '../../../protocol/event.js';
import { labelKey } from './fields.js';

/** An action as the event model keeps it. */
export interface SepmAction {
  action: ActionTaken;
  handled: boolean;
}

// Order matters: failures first so "Clean failed" never reads as "Cleaned", "not blocked" before "blocked", deletion before
// cleaning so "Cleaned by deletion" reads as deleted.
const RULES: [RegExp, SepmAction][] = [
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
  return RULES.find(([pattern]) => pattern.test(key))?.[1];
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
