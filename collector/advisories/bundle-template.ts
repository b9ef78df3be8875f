// The bundle mail: several advisories relayed to one contact by one pass, in Spanish and English (the alert and the
// digest are in templates.ts, which re-exports this one).
import { defineTemplate } from '../notify/template.js';

/** Several advisories relayed to one contact by one pass, most severe first: the first ones in full, the rest one
 *  line each (messages.ts decides how many go in full). */
export const advisoryBundleTemplate = defineTemplate({
  id: 'advisories/bundle',
  variables: ['contactName', 'customerName', 'count', 'riskWord', 'detailed', 'compact', 'compactCount'],
  es: {
    subject: '[Avisos de fabricantes] {{count}} avisos nuevos · riesgo máximo {{riskWord}}',
    text: `Hola {{contactName}}:

Se publicaron {{count}} avisos que conciernen a productos que {{customerName}} tiene con mantenimiento vigente. Van juntos en este mensaje, del más grave al menos grave.
{{#if compact}}
Los primeros van con todo su detalle; los otros {{compactCount}}, en una línea cada uno al final.
{{/if}}

{{#each detailed}}
{{n}}. [{{riskWord}}] {{vendorName}}: {{title}}
{{#if isUpdate}}
   Actualización del aviso {{updateOf}}: {{changes}}
{{/if}}
{{#if vendorLink}}
   Aviso del fabricante: {{vendorLink}}
{{/if}}
   Publicado por: {{publisherName}}
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
{{#if vendorDate}}
   Fecha del aviso del fabricante: {{vendorDate}}
{{/if}}
{{#if sourceDate}}
   {{sourceDateLabel}}: {{sourceDate}}
{{/if}}
{{#if link}}
   Más información: {{link}}
{{/if}}
{{#if quotedSummary}}
   Resumen{{#if summaryNote}} ({{summaryNote}}){{/if}}: {{quotedSummary}}
{{/if}}
   Qué hacer: {{whatToDo}}
{{#if sourceAction}}
   Indicación de la fuente{{#if actionNote}} ({{actionNote}}){{/if}}: {{sourceAction}}
{{/if}}
   Referencia: {{advisoryId}}

{{/each}}
{{#if compact}}
Otros {{compactCount}} avisos (nivel, fabricante, título, enlace, referencia):
{{#each compact}}
{{n}}. [{{riskWord}}] {{vendorName}}: {{title}}{{#if link}} · {{link}}{{/if}} · {{advisoryId}}
{{/each}}

{{/if}}
Para consultar por un aviso, cite su referencia al CAS.
Centro de Asistencia y Soporte (CAS)
`,
  },
  en: {
    subject: '[Vendor advisories] {{count}} new advisories · highest risk {{riskWord}}',
    text: `Hello {{contactName}},

{{count}} advisories were published about products {{customerName}} holds with maintenance in force. They come together in this message, most severe first.
{{#if compact}}
The first ones come in full; the other {{compactCount}}, one line each at the end.
{{/if}}

{{#each detailed}}
{{n}}. [{{riskWord}}] {{vendorName}}: {{title}}
{{#if isUpdate}}
   Update of advisory {{updateOf}}: {{changes}}
{{/if}}
{{#if vendorLink}}
   Vendor advisory: {{vendorLink}}
{{/if}}
   Published by: {{publisherName}}
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
{{#if vendorDate}}
   Vendor advisory date: {{vendorDate}}
{{/if}}
{{#if sourceDate}}
   {{sourceDateLabel}}: {{sourceDate}}
{{/if}}
{{#if link}}
   More information: {{link}}
{{/if}}
{{#if quotedSummary}}
   Summary{{#if summaryNote}} ({{summaryNote}}){{/if}}: {{quotedSummary}}
{{/if}}
   What to do: {{whatToDo}}
{{#if sourceAction}}
   The source's advice{{#if actionNote}} ({{actionNote}}){{/if}}: {{sourceAction}}
{{/if}}
   Reference: {{advisoryId}}

{{/each}}
{{#if compact}}
Other {{compactCount}} advisories (level, vendor, title, link, reference):
{{#each compact}}
{{n}}. [{{riskWord}}] {{vendorName}}: {{title}}{{#if link}} · {{link}}{{/if}} · {{advisoryId}}
{{/each}}

{{/if}}
To ask about an advisory, quote its reference to the CAS.
Support and Assistance Centre (CAS)
`,
  },
});
