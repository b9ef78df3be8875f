// The mails of a customer's case, in the contact's language (es-AR by default): the acknowledgement of a new case,
// an engineer's public answer, a refused attachment, and the engineers' notice that a contact opened or answered.
// Every subject carries the one prefix "[XR-…]" so that a reply keeps the case (the intake reads it).
import { defineTemplate } from '../notify/template.js';

const SIGN_ES = 'Xpears Services — Centro de Asistencia y Soporte (CAS)';
const SIGN_EN = 'Xpears Services — Support Centre (CAS)';

/** To the requester: the case is registered, with its number and the plan's first-response due time. */
export const caseAcknowledgedMail = defineTemplate({
  id: 'cases/acknowledged',
  variables: ['recipientName', 'number', 'title', 'dueAt', 'planName', 'priority', 'portalUrl'],
  es: {
    subject: '[{{number}}] {{title}}',
    text: `Hola {{recipientName}}:

Registramos su caso {{number}} («{{title}}») con prioridad solicitada Nivel {{priority}}. Según el plan {{planName}}, nuestra primera respuesta vence el {{dueAt}}; un ingeniero confirmará la severidad.
{{#if portalUrl}}Puede seguirlo en el portal del CAS: {{portalUrl}}
{{/if}}
Para agregar información, responda a este correo y conserve {{number}} en el asunto.

${SIGN_ES}
`,
  },
  en: {
    subject: '[{{number}}] {{title}}',
    text: `Hello {{recipientName}},

We registered your case {{number}} ("{{title}}") with the requested priority Level {{priority}}. Under the {{planName}} plan, our first response is due by {{dueAt}}; an engineer will confirm the severity.
{{#if portalUrl}}You can follow it in the CAS portal: {{portalUrl}}
{{/if}}
To add information, reply to this mail and keep {{number}} in the subject.

${SIGN_EN}
`,
  },
});

/** To the requester: an engineer's public answer. */
export const caseAnswerMail = defineTemplate({
  id: 'cases/answer',
  variables: ['recipientName', 'number', 'title', 'author', 'body'],
  es: {
    subject: '[{{number}}] {{title}}',
    text: `Hola {{recipientName}}:

{{author}} respondió en su caso {{number}}:

{{body}}

Para contestar, responda a este correo y conserve {{number}} en el asunto.

${SIGN_ES}
`,
  },
  en: {
    subject: '[{{number}}] {{title}}',
    text: `Hello {{recipientName}},

{{author}} answered on your case {{number}}:

{{body}}

To answer, reply to this mail and keep {{number}} in the subject.

${SIGN_EN}
`,
  },
});

/** To the sender: attachments that were not accepted, and why. */
export const attachmentsRefusedMail = defineTemplate({
  id: 'cases/attachments-refused',
  variables: ['recipientName', 'subject', 'refused'],
  es: {
    subject: 'Adjuntos no aceptados: {{subject}}',
    text: `Hola {{recipientName}}:

No aceptamos estos adjuntos de su correo «{{subject}}»:
{{refused}}
No recibimos programas ejecutables ni archivos comprimidos que los contengan, ni adjuntos mayores que el tamaño permitido. Si el caso lo requiere, un ingeniero le indicará cómo enviarlos.

${SIGN_ES}
`,
  },
  en: {
    subject: 'Attachments not accepted: {{subject}}',
    text: `Hello {{recipientName}},

We did not accept these attachments of your mail "{{subject}}":
{{refused}}
We do not take executable programs, archives that contain them, or attachments above the allowed size. If the case needs them, an engineer will tell you how to send them.

${SIGN_EN}
`,
  },
});

/** To the on-duty engineers: a contact opened a case or wrote on one. */
export const caseActivityMail = defineTemplate({
  id: 'cases/activity',
  variables: ['recipientName', 'number', 'title', 'customer', 'author', 'body', 'opened', 'via'],
  es: {
    subject: '[{{number}}] {{title}}',
    text: `Hola {{recipientName}}:

{{#if opened}}{{author}} ({{customer}}) abrió el caso {{number}} por {{via}}:{{else}}{{author}} ({{customer}}) escribió en el caso {{number}} por {{via}}:{{/if}}

{{body}}

${SIGN_ES}
`,
  },
  en: {
    subject: '[{{number}}] {{title}}',
    text: `Hello {{recipientName}},

{{#if opened}}{{author}} ({{customer}}) opened case {{number}} by {{via}}:{{else}}{{author}} ({{customer}}) wrote on case {{number}} by {{via}}:{{/if}}

{{body}}

${SIGN_EN}
`,
  },
});
