// The words of ESET PROTECT's notifications in English and Spanish. English labels are as seen on the wire
// (Elastic's test data); the Spanish ones follow the console's translation style and are synthetic until a real
// Spanish notification is captured (docs/events.md lists which).

/** Labels of a single-detection notification, by the field they fill, in both languages. */
export const DETECTION_LABELS = {
  detectionType: ['Detection type', 'Tipo de detección', 'Tipo de la detección', 'Threat type', 'Tipo de amenaza'],
  detectionName: ['Detection name', 'Nombre de detección', 'Nombre de la detección', 'Threat name', 'Nombre de la amenaza', 'Detección'],
  computerName: ['Computer name', 'Nombre del equipo', 'Nombre de equipo', 'Nombre del ordenador', 'Equipo', 'Computer', 'Device', 'Dispositivo'],
  loggedUser: ['Logged user', 'Logged-in user', 'User', 'Usuario registrado', 'Usuario conectado', 'Usuario que inició sesión', 'Usuario'],
  occurredAt: ['Time of occurrence', 'Occurred', 'Hora de la ocurrencia', 'Hora de ocurrencia', 'Fecha de ocurrencia', 'Hora del suceso', 'Fecha y hora', 'Ocurrido'],
  scanner: ['Scanner', 'Módulo de análisis', 'Módulo de exploración', 'Analizador', 'Escáner', 'Explorador'],
  actionPerformed: ['Action performed', 'Action taken', 'Action', 'Acción realizada', 'Acción ejecutada', 'Acción tomada', 'Acción'],
  objectType: ['Object type', 'Tipo de objeto'],
  objectUri: ['Object URI', 'Object name', 'Object', 'URI del objeto', 'Nombre del objeto', 'Objeto', 'File', 'Archivo'],
  hash: ['Hash', 'SHA1', 'SHA-1'],
  processName: ['Process name', 'Nombre del proceso', 'Proceso'],
  handled: ['Threat handled', 'Handled', 'Amenaza resuelta', 'Resuelta', 'Gestionada'],
  ipAddress: ['IP address', 'IPv4', 'Dirección IP'],
  group: ['Static group', 'Group', 'Grupo estático', 'Grupo'],
  rule: ['Rule', 'Rule name', 'Regla', 'Nombre de la regla'],
  severityScore: ['Severity score', 'Puntuación de gravedad'],
  severity: ['Severity', 'Gravedad', 'Severidad'],
} as const;

/** A field of a single-detection notification. */
export type DetectionField = keyof typeof DETECTION_LABELS;

/** Every label above, for the key/value extractor. */
export const ALL_DETECTION_LABELS: readonly string[] = Object.values(DETECTION_LABELS).flat();

/** The sentence of a threshold notification: "Number of antivirus events in 10 minutes has reached defined value
 *  (10 events)." and its Spanish form; groups: log kind, minutes, events. */
export const THRESHOLD_SENTENCES: readonly RegExp[] = [
  /number of (\w+) events in (\d+) (?:minutes?|hours?) has reached (?:the )?defined value \((\d+)/i,
  /(?:el )?n[uú]mero de eventos de (\w+) en (\d+) (?:minutos?|horas?) (?:ha alcanzado|alcanz[oó]) el valor definido \((\d+)/i,
];

/** Status and dynamic-group notifications: the sentence that tells which, and what it means. */
export const STATUS_RULES: readonly { pattern: RegExp; eventType: 'definitions-outdated' | 'client-not-connected' | 'licence' | 'server-health' | 'threat-not-cleaned' | 'outbreak'; severity: 'critical' | 'high' | 'medium' | 'low' | 'info'; what: string }[] = [
  { pattern: /active threats?|amenazas? activas?|not cleaned|sin desinfectar|no (?:se )?(?:ha podido )?desinfectad/i, eventType: 'threat-not-cleaned', severity: 'critical', what: 'computers with active threats' },
  { pattern: /outbreak|brote/i, eventType: 'outbreak', severity: 'critical', what: 'possible outbreak' },
  { pattern: /outdated (?:detection engine|modules?|virus signature)|(?:detection engine|modules?|virus signature database) (?:is |are )?(?:outdated|out[- ]of[- ]date)|m[oó]dulos? (?:est[aá]n? )?desactualizados?|motor de detecci[oó]n desactualizado|firmas? desactualizadas?|base de firmas (?:de virus )?desactualizada/i, eventType: 'definitions-outdated', severity: 'medium', what: 'detection modules outdated' },
  { pattern: /not connected|did not connect|has not connected|have not connected|last connect(?:ed|ion)|no (?:se )?(?:ha(?:n)? )?conectad|sin conectar|sin conexi[oó]n|[uú]ltima conexi[oó]n/i, eventType: 'client-not-connected', severity: 'medium', what: 'computers not connected' },
  { pattern: /licen[cs]e (?:(?:will |has |is )?(?:expir|overus|exceed|limit)|usage)|licen[cs]ia (?:(?:va a |ha )?(?:vencer|vence|venci|caduc|expir|excedid|superad)|uso)|(?:expir|caduc|venc)\w* (?:de |of )?(?:la |the )?licen[cs]/i, eventType: 'licence', severity: 'low', what: 'licence' },
  { pattern: /certificate|certificado|database|base de datos|server (?:is )?(?:not updated|stopped|down)|servidor (?:no actualizado|detenido)|disk space|espacio en disco/i, eventType: 'server-health', severity: 'medium', what: 'server health' },
];

/** Words that make a licence notice urgent: the licence is over its seats or already expired. */
export const LICENCE_URGENT = /exceed|overus|over the limit|limit reached|expired|has expired|excedid|superad|ha vencido|venci[oó]|caduc[oó]|ha caducado/i;

/** The words of the table header rows of a threshold notification, ignored as data. */
export const TABLE_HEADER_WORDS = /^(computer( name)?|equipo|nombre del equipo|time|hora|fecha|detection type|tipo de detecci[oó]n|detection name|nombre de (la )?detecci[oó]n|object type|tipo de objeto|object uri|uri del objeto|objeto)$/i;

/** Object types in a flattened threshold table, which end the detection name. */
export const OBJECT_TYPES = /^(file|archivo|fichero|url|email|e-mail|correo|process|proceso|registry|registro|memory|memoria|boot sector|sector de arranque|script|folder|carpeta|directory|directorio)$/i;

/** Spanish or English, by the console's own words (language.ts). */
export { isSpanish } from './language.js';
