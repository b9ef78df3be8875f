// The advisory mails (an alert, a daily digest) in Spanish and English, and the words they use for levels and kinds.
import { defineTemplate, escapeHtml, type Template } from '../notify/template.js';
import type { Language, RenderedMessage } from '../notify/types.js';
import type { ProductVendor } from '../registry/types.js';
import type { AdvisoryKind, RiskLevel, RiskSource } from './types.js';

/** The vendors' names as people read them. */
export const VENDOR_NAMES: Record<ProductVendor, string> = { eset: 'ESET', symantec: 'Symantec (Broadcom)' };

/** Risk levels in words. */
export const RISK_WORDS: Record<Language, Record<RiskLevel, string>> = {
  es: { critical: 'CRÍTICO', high: 'ALTO', medium: 'MEDIO', low: 'BAJO', info: 'INFORMATIVO' },
  en: { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFORMATIONAL' },
};

/** Kinds in words. */
export const KIND_WORDS: Record<Language, Record<AdvisoryKind, string>> = {
  es: { threat: 'amenaza', vulnerability: 'vulnerabilidad', 'product-update': 'actualización o parche de producto', 'end-of-life': 'fin de vida o de soporte', other: 'novedad' },
  en: { threat: 'threat', vulnerability: 'vulnerability', 'product-update': 'product update or patch', 'end-of-life': 'end of life or support', other: 'news' },
};

/** How the level was found, in words, so a reader knows whose judgement it is. */
export const RISK_BASIS: Record<Language, Record<RiskSource, string>> = {
  es: {
    'severity-field': 'nivel publicado por el fabricante', 'cvss-score': 'puntuación CVSS publicada',
    'cvss-vector': 'calculado del vector CVSS publicado', categories: 'categoría publicada por el fabricante',
    'title-words': 'términos del título del aviso', kev: 'explotada activamente (catálogo KEV de CISA)',
    default: 'sin nivel publicado: informativo',
  },
  en: {
    'severity-field': 'level published by the vendor', 'cvss-score': 'published CVSS score',
    'cvss-vector': 'computed from the published CVSS vector', categories: "vendor's category",
    'title-words': "words of the advisory's title", kev: "actively exploited (CISA's KEV catalogue)",
    default: 'no level published: informational',
  },
};

/** What to do, by kind, when the source does not say. */
export const WHAT_TO_DO: Record<Language, Record<AdvisoryKind, string>> = {
  es: {
    vulnerability: 'Verifique si las versiones instaladas están afectadas y aplique la corrección o la mitigación del fabricante. Si necesita ayuda, abra un caso en el CAS.',
    threat: 'Confirme que los equipos reciben las actualizaciones de detección y que la protección en tiempo real está activa. Ante una detección, abra un caso de incidencia de amenaza en el CAS.',
    'product-update': 'Planifique la actualización en sus consolas y equipos. El CAS puede acompañarlo.',
    'end-of-life': 'Planifique la migración a una versión con soporte antes de la fecha indicada por el fabricante.',
    other: 'Para su información; no requiere acción inmediata.',
  },
  en: {
    vulnerability: "Check whether the installed versions are affected and apply the vendor's fix or mitigation. If you need help, open a case with the CAS.",
    threat: 'Make sure endpoints receive detection updates and real-time protection is on. On a detection, open a threat incident case with the CAS.',
    'product-update': 'Plan the update of your consoles and endpoints. The CAS can assist you.',
    'end-of-life': 'Plan the migration to a supported version before the date the vendor gives.',
    other: 'For your information; no immediate action needed.',
  },
};

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

/** A message rendered for one reader, given the reader's name and the reader's customer's name. */
export type PersonalRender = (contactName: string, customerName: string) => RenderedMessage;

// Stand-ins for the two names while rendering once for many readers, delimited by a private-use character (U+E000)
// that no feed has a reason to hold; data that holds one anyway is rendered per reader (renderPerReader checks).
const MARK = '\uE000';
const CONTACT_MARK = `${MARK}xpears:contactName${MARK}`;
const CUSTOMER_MARK = `${MARK}xpears:customerName${MARK}`;
const MARKS = /\uE000xpears:(contactName|customerName)\uE000/;

function holdsMark(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(MARK);
  if (Array.isArray(value)) return value.some(holdsMark);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsMark);
  return false;
}

// A rendered part split at the marks: even indexes are text, odd ones name the variable that goes there.
function splitAtMarks(text: string): string[] {
  return text.split(MARKS);
}

function joinParts(parts: readonly string[], names: { contactName: string; customerName: string }, html: boolean): string {
  if (parts.length === 1) return parts[0]!;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) out += parts[i]!;
    else {
      const name = parts[i] === 'contactName' ? names.contactName : names.customerName;
      out += html ? escapeHtml(name) : name;
    }
  }
  return out;
}

/** Renders a template once for many readers whose data differs only in `contactName` and `customerName` (the
 *  greeting): the same message, byte for byte, as `template.render(language, { ...data, contactName, customerName })`,
 *  at the cost of a string join per reader. Falls back to a full render per reader where splicing could differ: a
 *  name that is empty (an {{#if}} could test it), a name in the subject (subjects are normalised), U+E000 in the data. */
export function renderPerReader(template: Template, language: Language, data: Readonly<Record<string, unknown>>): PersonalRender {
  const full: PersonalRender = (contactName, customerName) => template.render(language, { ...data, contactName, customerName });
  if (holdsMark(data)) return full;
  const marked = template.render(language, { ...data, contactName: CONTACT_MARK, customerName: CUSTOMER_MARK });
  if (marked.subject.includes(MARK)) return full;
  const text = splitAtMarks(marked.text);
  const html = marked.html === undefined ? undefined : splitAtMarks(marked.html);
  return (contactName, customerName) => {
    if (contactName === '' || customerName === '') return full(contactName, customerName);
    const names = { contactName, customerName };
    const out: RenderedMessage = { subject: marked.subject, text: joinParts(text, names, false) };
    if (html) out.html = joinParts(html, names, true);
    return out;
  };
}
