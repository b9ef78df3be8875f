// Normalization shared by the vendor parsers: booleans sent as strings, the product's action words (English and
// Spanish) → ACTIONS, and severity words → SEVERITIES. Vendor-specific scales live with their vendor.
import type { ActionTaken, Severity } from '../../../protocol/event.js';

/** A boolean from JSON or text: true/"true"/"1"/"yes"/"sí" and their opposites; undefined when unclear. */
export function parseBooleanish(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'y', 'sí', 'si', 'verdadero', 'on'].includes(word)) return true;
  if (['false', '0', 'no', 'n', 'falso', 'off'].includes(word)) return false;
  return undefined;
}

/** A string value from JSON, trimmed; numbers and booleans become their text; empty becomes undefined. */
export function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** An integer from JSON or text ("12", 12, "12 events"), or undefined. */
export function integerOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /-?\d+/.exec(value);
  return m ? Number(m[0]) : undefined;
}

// Order matters: "Cleaned by deleting" is a deletion, "Cleaning failed" a failure, "terminate pending restart"
// is not done yet.
const ACTION_RULES: [RegExp, ActionTaken][] = [
  [/fail|falló|fallo|error|invalid|inválid|no se pudo|unable|could not|not cleaned|no desinfect|no limpi/i, 'failed'],
  [/pending|pendiente|left alone|retained|retenid|ignor|no action|sin acción|ningun|none|allowed|permitid|detected but not|continu|reported|informad/i, 'left-alone'],
  [/quarant|cuarentena/i, 'quarantined'],
  [/delet|elimin|borrad|suprim|removed/i, 'deleted'],
  [/clean|desinfect|limpi|repair|reparad/i, 'cleaned'],
  [/block|bloque|terminat|terminad|denied|denegad|interrump|prevent|drop|rechaz|stopped|detenid|killed/i, 'blocked'],
];

/** The product's action words → one of ACTIONS, and whether that means the threat is handled. */
export function normalizeAction(text: string | undefined): { action: ActionTaken; handled?: boolean } {
  const words = (text ?? '').trim();
  if (words === '') return { action: 'unknown' };
  for (const [pattern, action] of ACTION_RULES) {
    if (pattern.test(words)) {
      return { action, handled: action !== 'failed' && action !== 'left-alone' };
    }
  }
  return { action: 'unknown' };
}

const SEVERITY_WORDS: [RegExp, Severity][] = [
  [/^(fatal|critical|crítico|critico|crítica|critica|grave|emergency|emergencia|alert|alerta|very high|muy alta?)$/i, 'critical'],
  [/^(error|high|alta?|major|mayor|severe|severa)$/i, 'high'],
  [/^(warning|advertencia|aviso|medium|media|medio|moderate|moderada|minor|menor)$/i, 'medium'],
  [/^(notice|low|baja?|notificación|notificacion)$/i, 'low'],
  [/^(information|informational|info|información|informacion|informativo|debug|diagnostic|verbose)$/i, 'info'],
];

/** A severity word in English or Spanish → SEVERITIES; undefined when the word is unknown. */
export function severityFromWord(word: string | undefined): Severity | undefined {
  const w = (word ?? '').trim();
  for (const [pattern, severity] of SEVERITY_WORDS) if (pattern.test(w)) return severity;
  return undefined;
}

/** The higher of two severities (critical highest). */
export function maxSeverity(a: Severity, b: Severity): Severity {
  const order: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}

/** Syslog PRI severity (0 emerg … 7 debug) → SEVERITIES; a last resort, as consoles do not keep it faithful. */
export function severityFromSyslog(level: number | undefined): Severity | undefined {
  if (level === undefined) return undefined;
  if (level <= 2) return 'critical';
  if (level === 3) return 'high';
  if (level === 4) return 'medium';
  if (level === 5) return 'low';
  return 'info';
}
