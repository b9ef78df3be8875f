// What a reader is told about one advisory, in the reader's language, honestly: who published it (the vendor, CISA,
// the vendor's blog), the vendor's date, the affected and fixed versions, the vendor's advisory link first, what to do
// in the reader's language, and the source's own text quoted as the original when it is in another language
// ("texto original en inglés"). Fields that say nothing ("", "None") are left out; what the registry cannot tell
// (the version a customer runs) is said to be unknown, never guessed.
import type { Language } from '../notify/types.js';
import { canonicalLink } from './identity.js';
import { meaningful } from './parse.js';
import { KIND_WORDS, RISK_BASIS, RISK_WORDS, VENDOR_NAMES, WHAT_TO_DO } from './templates.js';
import type { Advisory, AdvisorySighting, Publisher } from './types.js';

const LANGUAGE_NAMES: Record<Language, Record<Language, string>> = {
  es: { es: 'español', en: 'inglés' },
  en: { es: 'Spanish', en: 'English' },
};

/** How the source's own text is introduced when it is quoted: "texto original en inglés". */
export function originalNote(lang: Language, textLanguage: Language): string {
  return lang === 'es' ? `texto original en ${LANGUAGE_NAMES.es[textLanguage]}` : `original text in ${LANGUAGE_NAMES.en[textLanguage]}`;
}

/** The publisher of a sighting in words. */
export function publisherName(p: Publisher, a: Pick<Advisory, 'vendor' | 'source'>, kev: boolean, lang: Language): string {
  const vendor = VENDOR_NAMES[a.vendor];
  if (p === 'vendor') return vendor;
  if (p === 'vendor-blog') return lang === 'es' ? `el blog de ${vendor}` : `${vendor}'s blog`;
  if (p === 'cisa') {
    if (kev) return lang === 'es' ? 'CISA (catálogo de vulnerabilidades explotadas conocidas, KEV)' : "CISA (Known Exploited Vulnerabilities catalogue)";
    return lang === 'es' ? 'CISA (agencia de ciberseguridad de EE. UU.)' : 'CISA (US Cybersecurity and Infrastructure Security Agency)';
  }
  return lang === 'es' ? `la fuente pública «${a.source}»` : `the public source "${a.source}"`;
}

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const day = (iso: string | null | undefined): string => iso?.slice(0, 10) ?? '';
const quote = (text: string): string => `“${text.replace(/[“”]/g, '"')}”`;

/** The template data every advisory mail shares (alert, bundle item, digest item). */
export function advisoryFacts(a: Advisory, lang: Language): Record<string, unknown> {
  const kev = a.guid?.startsWith('kev:') ?? false;
  const quoted = a.textLanguage !== lang;
  const vendorLink = canonicalLink(a.vendorLink) ?? '';
  const link = canonicalLink(a.link) ?? '';
  const summary = meaningful(a.summary) ?? '';
  const action = meaningful(a.action) ?? '';
  const first = a.sightings[0];
  return {
    vendorName: VENDOR_NAMES[a.vendor],
    publisherName: publisherName(a.publisher, a, kev, lang),
    publisherLead: capitalised(publisherName(a.publisher, a, kev, lang)),
    byVendor: a.publisher === 'vendor',
    riskWord: RISK_WORDS[lang][a.risk], riskBasis: RISK_BASIS[lang][a.riskSource], kindWord: KIND_WORDS[lang][a.kind],
    title: a.title, vendorLink, link: link === vendorLink ? '' : link,
    products: a.products.join(', '), affected: a.affectedVersions.join('; '), fixed: a.fixedVersions.join('; '),
    versionUnknown: a.kind === 'vulnerability',
    vendorDate: day(a.vendorPublished),
    sourceDate: a.publisher === 'vendor' ? '' : day(first?.published ?? a.published),
    sourceDateLabel: sourceDateLabel(a.publisher, kev, lang),
    otherSources: otherSources(a, lang),
    summary, summaryNote: quoted ? originalNote(lang, a.textLanguage) : '',
    sourceAction: action ? (quoted ? quote(action) : action) : '', actionNote: quoted ? originalNote(lang, a.textLanguage) : '',
    whatToDo: WHAT_TO_DO[lang][a.kind],
    quotedSummary: quoted && summary ? quote(summary) : summary,
    isUpdate: a.updateOf !== null, updateOf: a.updateOf ?? '', changes: changesText(a.changes, lang),
    advisoryId: a.id,
  };
}

function sourceDateLabel(p: Publisher, kev: boolean, lang: Language): string {
  if (kev) return lang === 'es' ? 'Incluida en el catálogo KEV' : 'Added to the KEV catalogue';
  if (p === 'vendor-blog') return lang === 'es' ? 'Publicado en el blog' : 'Posted on the blog';
  return lang === 'es' ? 'Publicado por la fuente' : 'Published by the source';
}

function otherSources(a: Advisory, lang: Language): string {
  return a.sightings.slice(1).map((s: AdvisorySighting) => {
    const name = publisherName(s.publisher, a, s.source.includes('kev') || (s.link ?? '').includes('nvd.nist.gov'), lang);
    return s.published ? `${name} (${day(s.published)})` : name;
  }).join('; ');
}

function changesText(changes: readonly string[], lang: Language): string {
  const words: Record<string, Record<Language, string>> = {
    risk: { es: 'subió el nivel de riesgo', en: 'the risk level was raised' },
    'fixed-versions': { es: 'hay una nueva versión corregida', en: 'a new fixed version is available' },
  };
  return changes.map((c) => words[c]?.[lang] ?? c).join(lang === 'es' ? ' y ' : ' and ');
}
