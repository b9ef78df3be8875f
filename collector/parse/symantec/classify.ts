// SEPM system and admin records carry free text ("The administrator's user name or password is incorrect",
// "could not update Intrusion Prevention Signatures"). These rules read that text, English or Spanish, and say
// what it is. First match wins, so the specific rules stand before the broad ones.
import type { EventType, Severity } from '../../../protocol/event.js';
import { labelKey } from './fields.js';

/** What a piece of SEPM text is about. */
export interface TextClass {
  eventType: EventType;
  severity: Severity;
}

const RULES: [RegExp, TextClass][] = [
  [/password is incorrect|log ?on failed|logon failure|failed to log ?on|authentication fail|account (is )?locked|contrasena (es )?incorrecta|inicio de sesion (ha )?fallido|error de autenticacion|cuenta bloqueada/, { eventType: 'authentication-failure', severity: 'medium' }],
  [/over.?deploy|exceed|expired|has expired|sobreimplementa|exceso de implementa|excedi|vencid|caducad.*licen|licen.*caducad/, { eventType: 'licence', severity: 'medium' }],
  [/licen[cs]/, { eventType: 'licence', severity: 'low' }],
  [/(could not|failed to|unable to|cannot|no se pudo|error al) (update|download|actualizar|descargar)|(update|download|descarga|actualizacion).* fail|out.of.date|outdated|desactualizad|obsolet/, { eventType: 'definitions-outdated', severity: 'medium' }],
  [/(database|disk|memory|service|replication|backup|server|servidor|base de datos|disco|memoria|servicio|replicacion|copia de seguridad).*(fail|error|stopped|\bfull\b|\blow\b|not respond|\bdown\b|fall|detenid|llen|insuficiente|no responde)|(fail|error|stopped|detenid|fallo).*(database|disk|service|server|base de datos|disco|servicio|servidor)/, { eventType: 'server-health', severity: 'medium' }],
  [/not connected|disconnected|lost (the )?connection|could not connect|cannot connect|unable to connect|no (se pudo|puede) conectar|desconectad|sin conexion/, { eventType: 'client-not-connected', severity: 'medium' }],
  [/log ?on succeeded|logged (on|in)|log ?off|policy|politica|added|deleted|edited|modified|renamed|moved|imported|created|agregad|eliminad|editad|modificad|movid|cread|inicio de sesion correcto/, { eventType: 'audit', severity: 'info' }],
];

/** Classifies a system or admin description; `fallback` when no rule speaks. */
export function classifyText(text: string, fallback: TextClass): TextClass {
  // The rules' `a.*b` shapes backtrack on long input: a description says what it is in its first sentences.
  const key = labelKey(text.slice(0, 600));
  for (const [pattern, result] of RULES) {
    if (pattern.test(key)) return result;
  }
  return fallback;
}

/** Raises a severity to at least `floor` (a syslog Error never reads as info). */
export function atLeast(severity: Severity, floor: Severity): Severity {
  const order: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
  return order.indexOf(severity) >= order.indexOf(floor) ? severity : floor;
}
