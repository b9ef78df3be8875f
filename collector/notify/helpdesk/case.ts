// The help-desk case e-mail, in the format the service manuals ask customers to use when they open a case by mail:
// title, description, contact's name and e-mail, product and version, operating system and version, and a
// signature with the requester's name. The CAS files these like any customer's case.
import { z } from 'zod';
import { XpearsError } from '../../../lib/errors.js';
import { defineTemplate } from '../template.js';
import type { Language, OutgoingMessage, RenderedMessage } from '../types.js';

const text = z.string().trim().min(1);

/** The fields of a case e-mail; all but customer and reference are required by the manuals' e-mail form. */
export const helpdeskCaseFieldsSchema = z.strictObject({
  title: text.max(200),
  description: text,
  contactName: text,
  contactEmail: z.email(),
  product: text,
  productVersion: text,
  operatingSystem: text,
  operatingSystemVersion: text,
  /** The customer's name, for the signature and the CAS's routing. */
  customer: text.optional(),
  /** Our ticket number, so the CAS's answer can be matched to it. */
  reference: text.optional(),
});

/** The fields of a case e-mail. */
export type HelpdeskCaseFields = z.input<typeof helpdeskCaseFieldsSchema>;

/** The case e-mail's template; Spanish is what the CAS reads, English exists for foreign help desks. */
export const helpdeskCaseTemplate = defineTemplate({
  id: 'notify/helpdesk-case',
  variables: ['title', 'description', 'contactName', 'contactEmail', 'product', 'productVersion',
    'operatingSystem', 'operatingSystemVersion', 'customer', 'reference'],
  es: {
    subject: '{{title}}{{#if reference}} [{{reference}}]{{/if}}',
    text: `Título: {{title}}

Descripción:
{{description}}

Nombre de contacto: {{contactName}}
E-mail de contacto: {{contactEmail}}
Producto y versión: {{product}} {{productVersion}}
Sistema operativo y versión: {{operatingSystem}} {{operatingSystemVersion}}
{{#if customer}}
Cliente: {{customer}}
{{/if}}
{{#if reference}}
Referencia: {{reference}}
{{/if}}

--
{{contactName}}
{{#if customer}}
{{customer}}
{{/if}}
`,
  },
  en: {
    subject: '{{title}}{{#if reference}} [{{reference}}]{{/if}}',
    text: `Title: {{title}}

Description:
{{description}}

Contact name: {{contactName}}
Contact e-mail: {{contactEmail}}
Product and version: {{product}} {{productVersion}}
Operating system and version: {{operatingSystem}} {{operatingSystemVersion}}
{{#if customer}}
Customer: {{customer}}
{{/if}}
{{#if reference}}
Reference: {{reference}}
{{/if}}

--
{{contactName}}
{{#if customer}}
{{customer}}
{{/if}}
`,
  },
});

/** Renders a case e-mail from its fields (Spanish unless told); throws INVALID_ARGUMENT naming a missing field. */
export function defineHelpdeskCase(fields: HelpdeskCaseFields, language: Language = 'es'): RenderedMessage {
  const parsed = helpdeskCaseFieldsSchema.safeParse(fields);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new XpearsError('INVALID_ARGUMENT', `the help-desk case is incomplete: ${where}`, parsed.error.issues);
  }
  return helpdeskCaseTemplate.render(language, parsed.data);
}

/** The outbox message for a case e-mail: to the configured CAS mailbox, replies to the contact. */
export function helpdeskCaseMessage(
  fields: HelpdeskCaseFields,
  opts: { language?: Language; dedupKey?: string; subjectRef?: OutgoingMessage['subjectRef'] } = {},
): OutgoingMessage {
  const message: OutgoingMessage = {
    channel: 'helpdesk',
    // The helpdesk channel always sends to its configured mailbox; a caller cannot misdirect a case.
    to: [],
    message: defineHelpdeskCase(fields, opts.language ?? 'es'),
    payload: { replyTo: fields.contactEmail },
  };
  if (opts.dedupKey) message.dedupKey = opts.dedupKey;
  if (opts.subjectRef) message.subjectRef = opts.subjectRef;
  return message;
}
