// The words advisory mails use for vendors, levels, kinds, how a level was found, and what to do by kind.
import type { Language } from '../notify/types.js';
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
