// The SEPM administrator notification conditions, by the names the console gives them in English and Spanish.
// The English names are documented (HOWTO55128, HOWTO81339, TECH91535); the Spanish ones follow the Spanish
// console's wording as far as we know it and are written loosely (accents stripped, variants listed).
import type { EventType, Severity } from '../../../protocol/event.js';
import { labelKey, spellings } from './fields.js';
import type { Spellings } from './fields.js';
import type { SepmLanguage } from './time.js';

/** One notification condition and what it becomes in the event model. */
export interface EmailCondition {
  /** The `format` suffix: "email-outbreak", "email-outbreak-es". */
  id: string;
  /** The English name, used in summaries. */
  title: string;
  en: RegExp;
  es: RegExp;
  eventType: EventType;
  severity: Severity;
}

/** Every condition we recognise; specific names stand before general ones (first match wins). */
export const EMAIL_CONDITIONS: EmailCondition[] = [
  { id: 'outbreak', title: 'Risk outbreak', en: /risk outbreak|outbreak/, es: /brote de riesgos?|brote/, eventType: 'outbreak', severity: 'high' },
  { id: 'single-risk', title: 'Single risk event', en: /single risk event/, es: /evento de riesgo (unico|individual|simple)|evento unico de riesgo/, eventType: 'threat-detected', severity: 'medium' },
  { id: 'new-risk', title: 'New risk detected', en: /new risk detected|new risk/, es: /nuevo riesgo detectado|se detecto un (nuevo )?riesgo nuevo|nuevo riesgo/, eventType: 'threat-detected', severity: 'high' },
  { id: 'definitions', title: 'Definitions out-of-date', en: /(definitions|signatures?|content) (are )?out.of.date|out.of.date (virus )?definitions/, es: /(definiciones|firmas?|contenido)[a-z ]* (obsolet|desactualizad|caducad|vencid)/, eventType: 'definitions-outdated', severity: 'medium' },
  { id: 'server-health', title: 'Server health', en: /server health/, es: /(estado|salud|mantenimiento) del servidor/, eventType: 'server-health', severity: 'high' },
  { id: 'authentication', title: 'Authentication failure', en: /authentication failure|logon failure/, es: /(error|fallo|falla|errores) de autenticacion|autenticacion fallida/, eventType: 'authentication-failure', severity: 'medium' },
  { id: 'licence-over', title: 'Over deployment issue', en: /over.?deployment/, es: /sobreimplementacion|exceso de implementacion|implementacion excesiva|exceso de (la )?implementacion/, eventType: 'licence', severity: 'medium' },
  { id: 'licence-paid', title: 'Paid license issue', en: /paid licen[cs]e/, es: /licencia (pagada|de pago|paga)/, eventType: 'licence', severity: 'medium' },
  { id: 'licence-expiring', title: 'License expiration', en: /licen[cs]e expir|trialware|licen[cs]e issue/, es: /(vencimiento|caducidad|expiracion) de (la )?licencia|licencia de prueba|problema de licencia/, eventType: 'licence', severity: 'low' },
  { id: 'client-list', title: 'Client list changed', en: /client list change/, es: /lista de clientes|cambio en la lista/, eventType: 'audit', severity: 'low' },
  { id: 'client-security', title: 'Client security alert', en: /client security alert/, es: /alerta de seguridad (del|de) (cliente|equipo)/, eventType: 'firewall-attack', severity: 'medium' },
  { id: 'new-software', title: 'New client software', en: /new client software|new software package/, es: /nuevo software (de|del|para el) cliente|nuevo paquete de software/, eventType: 'audit', severity: 'info' },
  { id: 'system-event', title: 'System event', en: /system event/, es: /evento del sistema/, eventType: 'server-health', severity: 'info' },
];

/** The condition a text names, and the language it names it in. */
export function findCondition(text: string): { condition: EmailCondition; language: SepmLanguage } | undefined {
  const key = labelKey(text);
  for (const condition of EMAIL_CONDITIONS) {
    if (condition.es.test(key)) return { condition, language: 'es' };
    if (condition.en.test(key)) return { condition, language: 'en' };
  }
  return undefined;
}

// Words that only a Spanish body uses: decide the language when the subject was customised.
const SPANISH = /\b(equipo|equipos|riesgo|riesgos|usuario|fecha|accion|numero|servidor|dominio|archivo|se detecto|licencia)\b/;

/** The language of a body whose subject did not say. */
export function bodyLanguage(text: string): SepmLanguage {
  return SPANISH.test(labelKey(text)) ? 'es' : 'en';
}

/** Label spellings per e-mail field, English then Spanish; the first present one is read. */
export const EMAIL_LABELS = {
  computer: ['Computer name', 'Computer', 'Computer Name', 'Host name', 'Nombre del equipo', 'Nombre de equipo', 'Equipo'],
  computers: ['Computers', 'Affected computers', 'Computers affected', 'Equipos', 'Equipos afectados'],
  computerCount: ['Number of computers', 'Number of affected computers', 'Computers affected', 'Affected computers', 'Número de equipos', 'Cantidad de equipos', 'Equipos afectados', 'Número de equipos afectados'],
  riskCount: ['Number of risks', 'Number of occurrences', 'Occurrences', 'Risks', 'Number of detections', 'Número de riesgos', 'Cantidad de riesgos', 'Ocurrencias', 'Número de ocurrencias', 'Riesgos', 'Número de detecciones'],
  riskName: ['Risk name', 'Risk', 'Virus name', 'Nombre del riesgo', 'Riesgo', 'Nombre de la amenaza'],
  server: ['Server', 'Server name', 'Management server', 'Servidor', 'Nombre del servidor'],
  site: ['Site', 'Sitio'],
  status: ['Status', 'Server status', 'Description', 'Event', 'Estado', 'Estado del servidor', 'Descripción', 'Evento'],
  time: ['Event time', 'Time', 'Date', 'Notification time', 'Hora del evento', 'Hora', 'Fecha', 'Fecha y hora'],
  begin: ['Begin', 'Start', 'First occurrence', 'Inicio', 'Primera ocurrencia'],
  end: ['End', 'End time', 'Last occurrence', 'Fin', 'Última ocurrencia'],
  user: ['Administrator', 'Admin', 'User', 'User name', 'Administrador', 'Usuario', 'Nombre de usuario'],
  ip: ['IP Address', 'Source IP', 'Dirección IP', 'IP de origen'],
  failures: ['Number of failures', 'Logon failures', 'Failed logons', 'Failures', 'Número de errores', 'Intentos fallidos', 'Errores de inicio de sesión', 'Errores'],
  definitions: ['Definitions date', 'Definition date', 'Virus definitions', 'Definitions version', 'Oldest definitions', 'Fecha de las definiciones', 'Definiciones de virus', 'Versión de las definiciones', 'Definiciones más antiguas'],
  licence: ['License', 'License serial number', 'Serial number', 'Licencia', 'Número de serie', 'Número de serie de la licencia'],
  expires: ['Expiration date', 'Expires', 'License expiration date', 'Fecha de vencimiento', 'Fecha de caducidad', 'Vence'],
  days: ['Days remaining', 'Days left', 'Días restantes'],
  seats: ['Seats', 'Licensed seats', 'Seats purchased', 'Puestos', 'Puestos con licencia', 'Licencias adquiridas'],
  deployed: ['Deployed clients', 'Clients deployed', 'Deployed', 'Clientes implementados', 'Clientes instalados', 'Implementados'],
  change: ['Change', 'Change type', 'Cambio', 'Tipo de cambio'],
} as const;

/** EMAIL_LABELS folded once, for reading every e-mail without folding each spelling again. */
export const EMAIL_SPELLINGS = Object.fromEntries(
  Object.entries(EMAIL_LABELS).map(([field, labels]) => [field, spellings(labels)]),
) as Record<keyof typeof EMAIL_LABELS, Spellings>;
