// Every text a person reads about a ticket itself: its title and description, for a console's event and for an
// agent's silence (the mails at each step are in step-templates.ts). Defined once, checked at start-up by
// defineTemplate (an unknown placeholder fails then, never as a blank in a mail). What a console reported is always
// quoted («…» / “…”), never written as our own sentence (describe.ts cleans and caps it).
import { defineTemplate } from '../notify/template.js';
import { EVENT_TYPES, ACTIONS, type EventType, type ActionTaken } from '../../protocol/event.js';
import { responseWarningMail, ticketChangedMail, ticketOpenedMail, ticketWebhookText } from './step-templates.js';

/** The words for each event type, so a title never borrows the parser's English summary. */
const TYPE_WORDS: Record<EventType, [es: string, en: string]> = {
  'threat-detected': ['Amenaza detectada', 'Threat detected'],
  'threat-not-cleaned': ['Amenaza no eliminada', 'Threat not cleaned'],
  outbreak: ['Brote de amenazas', 'Outbreak'],
  ransomware: ['Ransomware', 'Ransomware'],
  'firewall-attack': ['Ataque de red', 'Network attack'],
  hips: ['Alerta HIPS', 'HIPS alert'],
  'web-filtered': ['Sitio web bloqueado', 'Website blocked'],
  'blocked-file': ['Archivo bloqueado', 'File blocked'],
  'definitions-outdated': ['Firmas o módulos desactualizados', 'Definitions or modules out of date'],
  'client-not-connected': ['Equipos sin conexión con la consola', 'Computers not connected to the console'],
  licence: ['Licencias', 'Licensing'],
  'server-health': ['Estado del servidor de administración', 'Management server health'],
  'authentication-failure': ['Falla de autenticación', 'Authentication failure'],
  audit: ['Auditoría', 'Audit'],
  'edr-alert': ['Alerta de EDR', 'EDR alert'],
  unclassified: ['Evento de la consola', 'Console event'],
};

/** What the product did, in words. */
const ACTION_WORDS: Record<ActionTaken, [es: string, en: string]> = {
  cleaned: ['Limpió la amenaza', 'It cleaned the threat'],
  quarantined: ['La puso en cuarentena', 'It quarantined it'],
  deleted: ['Eliminó el objeto', 'It deleted the object'],
  blocked: ['La bloqueó', 'It blocked it'],
  'left-alone': ['No tomó ninguna acción', 'It took no action'],
  failed: ['Intentó actuar y falló', 'It tried to act and failed'],
  unknown: ['Informó', 'It reported'],
};

/** A template-safe flag name for an event type or action: "threat-not-cleaned" → "threatNotCleaned". */
export function flagOf(value: string): string {
  return value.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

const flags = <T extends string>(prefix: string, words: Record<T, [string, string]>, lang: 0 | 1) =>
  (Object.keys(words) as T[]).map((k) => `{{#if ${prefix}.${flagOf(k)}}}${words[k][lang]}{{/if}}`).join('');
const TYPE_ES = flags('type', TYPE_WORDS, 0);
const TYPE_EN = flags('type', TYPE_WORDS, 1);
const ACT_ES = flags('act', ACTION_WORDS, 0);
const ACT_EN = flags('act', ACTION_WORDS, 1);
const TYPE_VARS = EVENT_TYPES.map((t) => `type.${flagOf(t)}`);
const ACT_VARS = ACTIONS.map((a) => `act.${flagOf(a)}`);

const KIND_ES = '{{#if kind.threat}}Incidente de amenaza{{/if}}{{#if kind.sev1}}Severidad 1{{/if}}{{#if kind.sev2}}Severidad 2{{/if}}{{#if kind.sev3}}Severidad 3{{/if}}{{#if kind.sev4}}Severidad 4{{/if}}';
const KIND_EN = '{{#if kind.threat}}Threat incident{{/if}}{{#if kind.sev1}}Severity 1{{/if}}{{#if kind.sev2}}Severity 2{{/if}}{{#if kind.sev3}}Severity 3{{/if}}{{#if kind.sev4}}Severity 4{{/if}}';

/** The advice a description ends with, one per family of events (describe.ts picks it). */
export const ADVICE = ['ransomware', 'threatOpen', 'outbreak', 'edr', 'server', 'clients', 'network', 'definitions',
  'licence', 'access', 'agent', 'general'] as const;
export type Advice = (typeof ADVICE)[number];

const ADVICE_ES = `{{#if advice.ransomware}}Aísle el equipo de la red ya (desconecte el cable o el Wi-Fi, no lo apague), no pague ningún rescate y no borre archivos cifrados: nos comunicaremos para recolectar muestras y planificar la recuperación desde copias de seguridad.{{/if}}{{#if advice.threatOpen}}El producto no pudo eliminar la amenaza. Evite usar el equipo para tareas sensibles y, si puede, desconéctelo de la red; coordinaremos un análisis completo y la remoción remota, y enviaremos muestras al laboratorio del fabricante si hace falta.{{/if}}{{#if advice.outbreak}}Hay muchas detecciones en poco tiempo: revise qué equipos están afectados, restrinja recursos compartidos y medios extraíbles, y verifique que todos los clientes tengan la protección y las firmas al día. Le acompañaremos en la contención.{{/if}}{{#if advice.edr}}Revise la detección en la consola de EDR; si no reconoce la actividad, aísle el equipo. Analizaremos los indicadores con usted.{{/if}}{{#if advice.server}}Verifique que el servidor de administración y su base de datos estén en línea y con espacio libre; mientras no funcione, los equipos no reciben políticas ni envían alertas.{{/if}}{{#if advice.clients}}Verifique la conectividad de esos equipos con el servidor de administración (red, servicio del agente, certificados); sin conexión no reciben actualizaciones ni reportan amenazas.{{/if}}{{#if advice.network}}Identifique el origen del tráfico y bloquéelo en el firewall perimetral si es externo; si es interno, revise ese equipo por si está comprometido.{{/if}}{{#if advice.definitions}}Fuerce una actualización de firmas desde la consola y verifique el acceso de los equipos a los servidores de actualización o al mirror local.{{/if}}{{#if advice.licence}}Revise el uso de licencias en la consola; su ejecutivo de cuenta puede ayudarle con la ampliación o la renovación.{{/if}}{{#if advice.access}}Confirme si los intentos de acceso fueron legítimos; si no, cambie las contraseñas involucradas y active el doble factor en la consola.{{/if}}{{#if advice.agent}}Verifique que el servidor donde está instalado el agente esté encendido, con el servicio "xpears agent" en ejecución y con salida a Internet; mientras tanto, las alertas de su consola no nos llegan.{{/if}}{{#if advice.general}}Revise el evento en la consola; un ingeniero le contactará con los próximos pasos.{{/if}}`;
const ADVICE_EN = `{{#if advice.ransomware}}Isolate the computer from the network now (unplug the cable or turn off Wi-Fi, do not shut it down), pay no ransom and delete no encrypted files: we will contact you to collect samples and plan recovery from backups.{{/if}}{{#if advice.threatOpen}}The product could not remove the threat. Avoid sensitive work on the computer and disconnect it from the network if you can; we will coordinate a full scan and remote removal, and send samples to the vendor's lab if needed.{{/if}}{{#if advice.outbreak}}There are many detections in little time: check which computers are affected, restrict shared folders and removable media, and make sure every client has protection and current definitions. We will help you contain it.{{/if}}{{#if advice.edr}}Review the detection in the EDR console; if you do not recognise the activity, isolate the computer. We will analyse the indicators with you.{{/if}}{{#if advice.server}}Check that the management server and its database are up and have free space; while it is down, computers get no policies and send no alerts.{{/if}}{{#if advice.clients}}Check those computers' connection to the management server (network, agent service, certificates); disconnected, they get no updates and report no threats.{{/if}}{{#if advice.network}}Find where the traffic comes from and block it at the perimeter firewall if it is external; if it is internal, check that computer for compromise.{{/if}}{{#if advice.definitions}}Force a definitions update from the console and check the computers' access to the update servers or the local mirror.{{/if}}{{#if advice.licence}}Review licence use in the console; your account manager can help with an extension or the renewal.{{/if}}{{#if advice.access}}Confirm whether the login attempts were legitimate; if not, change the passwords involved and turn on two-factor authentication in the console.{{/if}}{{#if advice.agent}}Check that the server running the agent is on, the "xpears agent" service is running and it can reach the Internet; meanwhile, your console's alerts do not reach us.{{/if}}{{#if advice.general}}Review the event in the console; an engineer will contact you with the next steps.{{/if}}`;

/** A ticket's title (subject) and description (text), stored on the ticket in the service's language. */
export const ticketSummary = defineTemplate({
  id: 'tickets/summary',
  variables: ['kind.threat', 'kind.sev1', 'kind.sev2', 'kind.sev3', 'kind.sev4', 'summary', 'customer', 'product',
    'computer.name', 'computer.ip', 'computer.user', 'threat.name', 'threat.type', 'threat.object', 'action',
    'handled', 'notHandled', 'count', 'computers', 'occurredAt', 'many', ...ADVICE.map((a) => `advice.${a}`),
    ...TYPE_VARS, ...ACT_VARS],
  es: {
    subject: `${KIND_ES}: ${TYPE_ES}{{#if threat.name}} «{{threat.name}}»{{/if}}{{#if computer.name}} en «{{computer.name}}»{{/if}}{{#if many}} ({{count}} detecciones){{/if}} — {{customer}}`,
    text: `Qué pasó
${TYPE_ES}{{#if threat.name}}: «{{threat.name}}»{{/if}}
Detalle técnico, la consola informó: «{{summary}}»
{{#if threat.name}}Amenaza: «{{threat.name}}»{{#if threat.type}} (tipo «{{threat.type}}»){{/if}}
{{/if}}{{#if threat.object}}Objeto: «{{threat.object}}»
{{/if}}Primera vez: {{occurredAt}} · Ocurrencias: {{count}} · Equipos afectados: {{computers}}

Dónde
Cliente: {{customer}}{{#if product}} · Producto: {{product}}{{/if}}
{{#if computer.name}}Equipo: «{{computer.name}}»{{#if computer.ip}} · IP: {{computer.ip}}{{/if}}{{#if computer.user}} · Usuario: «{{computer.user}}»{{/if}}
{{/if}}

Qué hizo el producto
{{#if action}}${ACT_ES} («{{action}}»). {{/if}}{{#if handled}}El producto resolvió el evento por sí mismo.{{/if}}{{#if notHandled}}El producto no lo resolvió: requiere intervención.{{/if}}{{#if action}}{{else}}{{#if handled}}{{else}}{{#if notHandled}}{{else}}La consola no informó ninguna acción.{{/if}}{{/if}}{{/if}}

Qué recomendamos
${ADVICE_ES}
`,
  },
  en: {
    subject: `${KIND_EN}: ${TYPE_EN}{{#if threat.name}} “{{threat.name}}”{{/if}}{{#if computer.name}} on “{{computer.name}}”{{/if}}{{#if many}} ({{count}} detections){{/if}} — {{customer}}`,
    text: `What happened
${TYPE_EN}{{#if threat.name}}: “{{threat.name}}”{{/if}}
Technical detail, the console reported: “{{summary}}”
{{#if threat.name}}Threat: “{{threat.name}}”{{#if threat.type}} (type “{{threat.type}}”){{/if}}
{{/if}}{{#if threat.object}}Object: “{{threat.object}}”
{{/if}}First seen: {{occurredAt}} · Occurrences: {{count}} · Computers affected: {{computers}}

Where
Customer: {{customer}}{{#if product}} · Product: {{product}}{{/if}}
{{#if computer.name}}Computer: “{{computer.name}}”{{#if computer.ip}} · IP: {{computer.ip}}{{/if}}{{#if computer.user}} · User: “{{computer.user}}”{{/if}}
{{/if}}

What the product did
{{#if action}}${ACT_EN} (“{{action}}”). {{/if}}{{#if handled}}The product dealt with it on its own.{{/if}}{{#if notHandled}}The product did not resolve it: a person must act.{{/if}}{{#if action}}{{else}}{{#if handled}}{{else}}{{#if notHandled}}{{else}}The console reported no action.{{/if}}{{/if}}{{/if}}

What we recommend
${ADVICE_EN}
`,
  },
});

/** The title and description of the ticket an agent's silence opens. */
export const agentSilenceSummary = defineTemplate({
  id: 'tickets/agent-silence-summary',
  variables: ['agent', 'hostname', 'customer', 'lastSeenAt', 'minutes', 'advice.agent'],
  es: {
    subject: 'Severidad 2: agente sin conexión — {{agent}} ({{customer}})',
    text: `Qué pasó
El agente {{agent}}{{#if hostname}} (servidor «{{hostname}}»){{/if}} de {{customer}} no envía señales desde {{lastSeenAt}} (más de {{minutes}} minutos).

Qué significa
Mientras el agente no se comunique, las alertas de la consola antivirus no llegan al centro de soporte. El agente las conserva y las enviará al volver.

Qué recomendamos
{{#if advice.agent}}Verifique que el servidor esté encendido, con el servicio "xpears agent" en ejecución y con salida a Internet.{{/if}}
`,
  },
  en: {
    subject: 'Severity 2: agent offline — {{agent}} ({{customer}})',
    text: `What happened
The agent {{agent}}{{#if hostname}} (server “{{hostname}}”){{/if}} of {{customer}} has sent no heartbeat since {{lastSeenAt}} (more than {{minutes}} minutes).

What it means
While the agent is silent, the antivirus console's alerts do not reach the support centre. The agent keeps them and sends them once it is back.

What we recommend
{{#if advice.agent}}Check that the server is on, the "xpears agent" service is running and it can reach the Internet.{{/if}}
`,
  },
});

/** Every ticket template, for registerTemplates at start-up (ids must not clash with other modules'). */
export const ticketTemplates = [ticketSummary, agentSilenceSummary, ticketOpenedMail, ticketChangedMail, responseWarningMail, ticketWebhookText];
