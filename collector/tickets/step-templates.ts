// The messages at each step of a ticket: the mail when it opens, at every change of state or level, the internal
// warning before a response target is missed, and the text of a webhook delivery. What is stored on the ticket (its
// title and description) is in templates.ts, which lists these with its own for registration at start-up.
import { defineTemplate } from '../notify/template.js';

/** The mail of a new ticket, to the on-duty engineers and the customer's designated contacts. */
export const ticketOpenedMail = defineTemplate({
  id: 'tickets/opened',
  variables: ['recipientName', 'number', 'title', 'description', 'dueAt', 'planName', 'level'],
  es: {
    subject: '[{{number}}] {{title}}',
    text: `Hola {{recipientName}}:

Registramos el caso {{number}} a partir de una alerta de su consola. Según el plan {{planName}}, nuestra primera respuesta vence el {{dueAt}}.

{{description}}
Nivel de atención: {{level}}. Le notificaremos por este medio cada paso del caso; al responder, conserve {{number}} en el asunto.

Xpears Services — Centro de Asistencia y Soporte (CAS)
`,
  },
  en: {
    subject: '[{{number}}] {{title}}',
    text: `Hello {{recipientName}},

We opened case {{number}} from an alert of your console. Under the {{planName}} plan, our first response is due by {{dueAt}}.

{{description}}
Support level: {{level}}. We will mail you at every step of the case; when you reply, keep {{number}} in the subject.

Xpears Services — Support Centre (CAS)
`,
  },
});

const CHANGE_ES = '{{#if change.acknowledged}}Caso tomado por un ingeniero{{/if}}{{#if change.escalated}}Caso escalado a {{level}}{{/if}}{{#if change.resolved}}Caso resuelto{{/if}}{{#if change.closed}}Caso cerrado{{/if}}';
const CHANGE_EN = '{{#if change.acknowledged}}Case taken by an engineer{{/if}}{{#if change.escalated}}Case escalated to {{level}}{{/if}}{{#if change.resolved}}Case resolved{{/if}}{{#if change.closed}}Case closed{{/if}}';

/** The mail of every change of state or level ("a mail at every step"). */
export const ticketChangedMail = defineTemplate({
  id: 'tickets/changed',
  variables: ['recipientName', 'number', 'title', 'by', 'at', 'note', 'level', 'change.acknowledged', 'change.escalated',
    'change.resolved', 'change.closed', 'change.missed', 'change.agentBack'],
  es: {
    subject: `[{{number}}] ${CHANGE_ES}: {{title}}`,
    text: `Hola {{recipientName}}:

${CHANGE_ES} ({{number}}), {{at}}, por {{by}}.
{{#if change.missed}}El plazo de primera respuesta venció sin respuesta: el caso pasó a {{level}} y se informó a su ejecutivo de cuenta.
{{/if}}{{#if change.agentBack}}El agente volvió a comunicarse y envía las alertas pendientes.
{{/if}}{{#if note}}Nota: {{note}}
{{/if}}
Caso: {{title}}

Xpears Services — Centro de Asistencia y Soporte (CAS)
`,
  },
  en: {
    subject: `[{{number}}] ${CHANGE_EN}: {{title}}`,
    text: `Hello {{recipientName}},

${CHANGE_EN} ({{number}}), {{at}}, by {{by}}.
{{#if change.missed}}The first-response target passed without a response: the case moved to {{level}} and your account manager was told.
{{/if}}{{#if change.agentBack}}The agent is back in touch and is sending the alerts it kept.
{{/if}}{{#if note}}Note: {{note}}
{{/if}}
Case: {{title}}

Xpears Services — Support Centre (CAS)
`,
  },
});

/** The internal warning before a response target is missed, to the on-duty engineers. */
export const responseWarningMail = defineTemplate({
  id: 'tickets/response-warning',
  variables: ['recipientName', 'number', 'title', 'customer', 'dueAt', 'percent', 'remainingMinutes'],
  es: {
    subject: '[{{number}}] Vence la primera respuesta ({{percent}} % del plazo usado): {{title}}',
    text: `Hola {{recipientName}}:

El caso {{number}} de {{customer}} no tiene respuesta y ya usó el {{percent}} % de su plazo.
Vence el {{dueAt}} (quedan {{remainingMinutes}} minutos hábiles). Si nadie lo toma, se escalará a L2 y al ejecutivo de cuenta.

Caso: {{title}}
`,
  },
  en: {
    subject: '[{{number}}] First response due soon ({{percent}} % of the target used): {{title}}',
    text: `Hello {{recipientName}},

Case {{number}} of {{customer}} has no response and has used {{percent}} % of its target.
It is due by {{dueAt}} ({{remainingMinutes}} business minutes left). If nobody takes it, it escalates to L2 and the account manager.

Case: {{title}}
`,
  },
});

const STEP_ES = '{{#if step.opened}}Caso abierto{{/if}}{{#if step.acknowledged}}Caso tomado{{/if}}{{#if step.escalated}}Caso escalado a {{level}}{{/if}}{{#if step.resolved}}Caso resuelto{{/if}}{{#if step.closed}}Caso cerrado{{/if}}{{#if step.breached}}Plazo de respuesta vencido{{/if}}';
const STEP_EN = '{{#if step.opened}}Case opened{{/if}}{{#if step.acknowledged}}Case taken{{/if}}{{#if step.escalated}}Case escalated to {{level}}{{/if}}{{#if step.resolved}}Case resolved{{/if}}{{#if step.closed}}Case closed{{/if}}{{#if step.breached}}Response target missed{{/if}}';

/** The subject and text of a ticket webhook delivery (chat receivers show them as they are). */
export const ticketWebhookText = defineTemplate({
  id: 'tickets/webhook',
  variables: ['number', 'title', 'customer', 'level', 'by', 'at', 'note', 'step.opened', 'step.acknowledged', 'step.escalated',
    'step.resolved', 'step.closed', 'step.breached'],
  es: {
    subject: `[{{number}}] ${STEP_ES}: {{title}}`,
    text: `${STEP_ES} ({{number}}, {{customer}}, {{level}}), {{at}}{{#if by}}, por {{by}}{{/if}}.{{#if note}} Nota: {{note}}{{/if}}`,
  },
  en: {
    subject: `[{{number}}] ${STEP_EN}: {{title}}`,
    text: `${STEP_EN} ({{number}}, {{customer}}, {{level}}), {{at}}{{#if by}}, by {{by}}{{/if}}.{{#if note}} Note: {{note}}{{/if}}`,
  },
});
