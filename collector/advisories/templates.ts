// The advisory mails (an alert, a bundle of a pass, a daily digest) in Spanish and English. The bundle is in
// bundle-template.ts, the words they use in words.ts, rendering once for many readers in render-per-reader.ts (all
// re-exported here).
import { defineTemplate } from '../notify/template.js';
import { advisoryBundleTemplate } from './bundle-template.js';

export { KIND_WORDS, RISK_BASIS, RISK_WORDS, VENDOR_NAMES, WHAT_TO_DO } from './words.js';
export { renderPerReader, type PersonalRender } from './render-per-reader.js';
export { advisoryBundleTemplate };

/** One advisory, sent at once: the vendor's advisory link first, who published it, versions, what to do. */
export const advisoryAlertTemplate = defineTemplate({
  id: 'advisories/alert',
  variables: ['contactName', 'customerName', 'vendorName', 'publisherName', 'publisherLead', 'byVendor', 'riskWord', 'riskBasis', 'kindWord', 'title', 'vendorLink', 'link',
    'products', 'affected', 'fixed', 'versionUnknown', 'vendorDate', 'sourceDate', 'sourceDateLabel', 'otherSources', 'quotedSummary',
    'summaryNote', 'sourceAction', 'actionNote', 'whatToDo', 'isUpdate', 'updateOf', 'changes', 'advisoryId'],
  es: {
    subject: '[{{#if isUpdate}}Actualización de aviso{{else}}Aviso{{/if}} {{vendorName}} · riesgo {{riskWord}}] {{title}}',
    text: `Hola {{contactName}}:
{{#if isUpdate}}

Actualización del aviso {{updateOf}}: {{changes}}.
{{/if}}

{{publisherLead}} publicó un aviso sobre {{#if byVendor}}sus productos{{else}}productos de {{vendorName}}{{/if}} que {{customerName}} tiene con mantenimiento vigente.
{{#if vendorLink}}
Aviso del fabricante: {{vendorLink}}
{{/if}}

Aviso: {{title}}
Publicado por: {{publisherName}}
Fabricante: {{vendorName}}
Nivel de riesgo: {{riskWord}} ({{riskBasis}})
Tipo: {{kindWord}}
{{#if products}}
Productos afectados: {{products}}
{{/if}}
{{#if affected}}
Versiones afectadas: {{affected}}
{{/if}}
{{#if fixed}}
Versiones corregidas: {{fixed}}
{{/if}}
{{#if versionUnknown}}
Versión que usa {{customerName}}: no consta en nuestro registro; verifíquela en la consola.
{{/if}}
{{#if vendorDate}}
Fecha del aviso del fabricante: {{vendorDate}}
{{/if}}
{{#if sourceDate}}
{{sourceDateLabel}}: {{sourceDate}}
{{/if}}
{{#if otherSources}}
También lo publicó: {{otherSources}}
{{/if}}
{{#if link}}
Más información: {{link}}
{{/if}}
{{#if quotedSummary}}

Resumen{{#if summaryNote}} ({{summaryNote}}){{/if}}:
{{quotedSummary}}
{{/if}}

Qué hacer:
{{whatToDo}}
{{#if sourceAction}}
Indicación de la fuente{{#if actionNote}} ({{actionNote}}){{/if}}: {{sourceAction}}
{{/if}}

Referencia: {{advisoryId}}
Centro de Asistencia y Soporte (CAS)
`,
  },
  en: {
    subject: '[{{vendorName}} advisory{{#if isUpdate}} update{{/if}} · {{riskWord}} risk] {{title}}',
    text: `Hello {{contactName}},
{{#if isUpdate}}

Update of advisory {{updateOf}}: {{changes}}.
{{/if}}

{{publisherLead}} published an advisory about {{#if byVendor}}its products{{else}}{{vendorName}} products{{/if}} {{customerName}} holds with maintenance in force.
{{#if vendorLink}}
Vendor advisory: {{vendorLink}}
{{/if}}

Advisory: {{title}}
Published by: {{publisherName}}
Vendor: {{vendorName}}
Risk level: {{riskWord}} ({{riskBasis}})
Kind: {{kindWord}}
{{#if products}}
Affected products: {{products}}
{{/if}}
{{#if affected}}
Affected versions: {{affected}}
{{/if}}
{{#if fixed}}
Fixed versions: {{fixed}}
{{/if}}
{{#if versionUnknown}}
Version {{customerName}} runs: not in our registry; check it in the console.
{{/if}}
{{#if vendorDate}}
Vendor advisory date: {{vendorDate}}
{{/if}}
{{#if sourceDate}}
{{sourceDateLabel}}: {{sourceDate}}
{{/if}}
{{#if otherSources}}
Also published by: {{otherSources}}
{{/if}}
{{#if link}}
More information: {{link}}
{{/if}}
{{#if quotedSummary}}

Summary{{#if summaryNote}} ({{summaryNote}}){{/if}}:
{{quotedSummary}}
{{/if}}

What to do:
{{whatToDo}}
{{#if sourceAction}}
The source's advice{{#if actionNote}} ({{actionNote}}){{/if}}: {{sourceAction}}
{{/if}}

Reference: {{advisoryId}}
Support and Assistance Centre (CAS)
`,
  },
});

/** A day of medium, low and informational advisories for one contact. */
export const advisoryDigestTemplate = defineTemplate({
  id: 'advisories/digest',
  variables: ['contactName', 'customerName', 'date', 'count', 'items'],
  es: {
    subject: '[Resumen diario] {{count}} avisos de fabricantes · {{date}}',
    text: `Hola {{contactName}}:

Estos son los avisos de riesgo medio, bajo o informativo publicados sobre los productos de {{customerName}} (resumen del {{date}}):

{{#each items}}
- [{{riskWord}}] {{vendorName}}: {{title}}
  Tipo: {{kindWord}} · Publicado por: {{publisherName}}{{#if products}} · Productos: {{products}}{{/if}}
{{#if fixed}}
  Versiones corregidas: {{fixed}}
{{/if}}
{{#if link}}
  {{link}}
{{/if}}
{{/each}}

Los avisos de riesgo crítico o alto se envían en el momento: no esperan este resumen.
Centro de Asistencia y Soporte (CAS)
`,
  },
  en: {
    subject: '[Daily digest] {{count}} vendor advisories · {{date}}',
    text: `Hello {{contactName}},

These are the medium, low and informational advisories published about {{customerName}}'s products (digest of {{date}}):

{{#each items}}
- [{{riskWord}}] {{vendorName}}: {{title}}
  Kind: {{kindWord}} · Published by: {{publisherName}}{{#if products}} · Products: {{products}}{{/if}}
{{#if fixed}}
  Fixed versions: {{fixed}}
{{/if}}
{{#if link}}
  {{link}}
{{/if}}
{{/each}}

Critical and high risk advisories are sent at once: they never wait for this digest.
Support and Assistance Centre (CAS)
`,
  },
});

/** Every advisory template, for the notification template registry (registerTemplates at start-up). */
export const advisoryTemplates = [advisoryAlertTemplate, advisoryBundleTemplate, advisoryDigestTemplate] as const;
