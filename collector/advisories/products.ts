// Which products an advisory concerns, and who holds them: the maintained alias table from a customer's product title
// (the registry's ProductHolding.product: "ESET PROTECT Entry", "Symantec Endpoint Protection") to the vendor's
// product families, and the patterns that find those families in the product names a vendor's advisory uses
// ("ESET Management Agent", "Endpoint Protection Manager 14.3 RU9"). Keep the two tables in step with
// docs/advisories.md ("Routing by product"). Titles are compared ignoring case and spacing, like the contacts rule.
import { normalizeTitle } from '../registry/recipients.js';
import type { ProductVendor } from '../registry/types.js';
import type { Advisory } from './types.js';

/** A vendor's product family: the unit an advisory names and a licence title includes. */
export type ProductFamily =
  | 'eset-protect' | 'eset-endpoint' | 'eset-server' | 'eset-mail' | 'eset-inspect' | 'eset-cloud-office'
  | 'eset-home' | 'eset-encryption' | 'eset-secure-auth' | 'eset-mobile'
  | 'sep' | 'symantec-messaging-gateway' | 'symantec-dlp' | 'symantec-proxysg' | 'symantec-email-security'
  | 'symantec-dcs' | 'symantec-encryption' | 'symantec-web-isolation';

const ESET_BUNDLE: ProductFamily[] = ['eset-protect', 'eset-endpoint', 'eset-server', 'eset-mobile'];

/** Customer product titles → the families the licence includes (ESET PROTECT tiers per ESET's tier comparison). */
export const TITLE_ALIASES: Readonly<Record<string, readonly ProductFamily[]>> = {
  'ESET PROTECT Entry': ESET_BUNDLE,
  'ESET PROTECT Entry On-Prem': ESET_BUNDLE,
  'ESET PROTECT Advanced': ESET_BUNDLE,
  'ESET PROTECT Advanced On-Prem': ESET_BUNDLE,
  'ESET PROTECT Complete': [...ESET_BUNDLE, 'eset-mail', 'eset-cloud-office'],
  'ESET PROTECT Mail Plus': ['eset-protect', 'eset-mail'],
  'ESET PROTECT Elite': [...ESET_BUNDLE, 'eset-mail', 'eset-cloud-office', 'eset-inspect', 'eset-secure-auth'],
  'ESET PROTECT Enterprise': [...ESET_BUNDLE, 'eset-inspect'],
  'ESET PROTECT MDR': [...ESET_BUNDLE, 'eset-mail', 'eset-cloud-office', 'eset-inspect', 'eset-secure-auth'],
  'ESET PROTECT On-Prem': ['eset-protect'],
  'ESET Endpoint Security': ['eset-endpoint'],
  'ESET Endpoint Antivirus': ['eset-endpoint'],
  'ESET Server Security': ['eset-server'],
  'ESET File Security': ['eset-server'],
  'ESET Mail Security': ['eset-mail'],
  'ESET Inspect': ['eset-inspect'],
  'ESET Full Disk Encryption': ['eset-encryption'],
  'ESET Endpoint Encryption': ['eset-encryption'],
  'ESET Secure Authentication': ['eset-secure-auth'],
  'ESET Cloud Office Security': ['eset-cloud-office'],
  'ESET NOD32 Antivirus': ['eset-home'],
  'ESET Internet Security': ['eset-home'],
  'ESET Smart Security Premium': ['eset-home'],
  'ESET Small Business Security': ['eset-home'],
  'Symantec Endpoint Protection': ['sep'],
  'Symantec Endpoint Protection Manager': ['sep'],
  'Symantec Endpoint Security': ['sep'],
  'Symantec Endpoint Security Complete': ['sep'],
  'Symantec Endpoint Security Enterprise': ['sep'],
  'Symantec Messaging Gateway': ['symantec-messaging-gateway'],
  'Symantec Data Loss Prevention': ['symantec-dlp'],
  'Symantec ProxySG': ['symantec-proxysg'],
  'Symantec Email Security.cloud': ['symantec-email-security'],
  'Symantec Data Center Security': ['symantec-dcs'],
  'Symantec Encryption': ['symantec-encryption'],
  'Symantec Web Isolation': ['symantec-web-isolation'],
};

/** Patterns over a product name an advisory gives → the family it belongs to; first match wins. */
export const PRODUCT_PATTERNS: readonly (readonly [RegExp, ProductFamily])[] = [
  [/\bmessaging gateway\b|\bSMG\b|\bbrightmail\b/i, 'symantec-messaging-gateway'],
  [/\bendpoint protection\b|\bSEPM?\b|\bsymantec endpoint security\b|\bendpoint security (?:complete|enterprise)\b/i, 'sep'],
  [/\bdata loss prevention\b|\bDLP\b/i, 'symantec-dlp'],
  [/\bproxysg\b|\bedge swg\b|\bsecure web gateway\b/i, 'symantec-proxysg'],
  [/\bemail security\.cloud\b|\bemail security cloud\b/i, 'symantec-email-security'],
  [/\bdata center security\b|\bDCS\b|\bcritical system protection\b/i, 'symantec-dcs'],
  [/\bsymantec encryption\b|\bPGP\b|\bsymantec endpoint encryption\b/i, 'symantec-encryption'],
  [/\bweb isolation\b/i, 'symantec-web-isolation'],
  [/\bESET PROTECT\b|\bsecurity management center\b|\bESMC\b|\bremote administrator\b|\bmanagement agent\b|\bVirtual Agent Host\b/i, 'eset-protect'],
  [/\binspect\b|\bEnterprise Inspector\b/i, 'eset-inspect'],
  [/\bendpoint (?:security|antivirus)\b/i, 'eset-endpoint'],
  [/\b(?:server|file) security\b|\bsecurity for (?:microsoft )?sharepoint\b/i, 'eset-server'],
  [/\bmail security\b|\bsecurity for (?:ibm )?domino\b/i, 'eset-mail'],
  [/\bcloud office security\b/i, 'eset-cloud-office'],
  [/\b(?:full disk|endpoint) encryption\b|\bDESlock\b/i, 'eset-encryption'],
  [/\bsecure authentication\b/i, 'eset-secure-auth'],
  [/\bmobile security\b|\bendpoint security for android\b/i, 'eset-mobile'],
  [/\bNOD32\b|\binternet security\b|\bsmart security\b|\bsecurity ultimate\b|\bsmall business security\b|\bsafe server\b/i, 'eset-home'],
];

const ALIASES = new Map(Object.entries(TITLE_ALIASES).map(([title, families]) => [normalizeTitle(title), families]));

/** The families a customer's title includes; undefined for a title the table does not know. */
export function familiesOfTitle(title: string): readonly ProductFamily[] | undefined {
  return ALIASES.get(normalizeTitle(title));
}

/** The family a product name (as an advisory writes it) belongs to, for a vendor; undefined when none matches. */
export function familyOfProduct(name: string, vendor: ProductVendor): ProductFamily | undefined {
  const hit = PRODUCT_PATTERNS.find(([re, family]) => family.startsWith('eset') === (vendor === 'eset') && re.test(name));
  return hit?.[1];
}

/** The families an advisory's product names concern, each once. */
export function familiesOfProducts(products: readonly string[], vendor: ProductVendor): ProductFamily[] {
  const out = new Set<ProductFamily>();
  for (const p of products) {
    const family = familyOfProduct(p, vendor);
    if (family) out.add(family);
  }
  return [...out];
}

/** Whether a customer's title is concerned by an advisory of these families (none: a vendor-wide notice, every
 *  title). A title the alias table does not know is concerned by every advisory of its vendor: better one mail too
 *  many than a missed one; the alias table is the place to add it. */
export function titleConcerned(title: string, families: readonly string[]): boolean {
  if (families.length === 0) return true;
  const own = familiesOfTitle(title);
  return own === undefined || own.some((f) => families.includes(f));
}

/** The products an advisory names when none of them is a family the table knows: it then goes vendor-wide (every
 *  holder of the vendor), which an operator must be told, so that the pattern or the alias can be added. Only for the
 *  sources that state products (the vendor's advisories, CISA): a blog post's title words are no product claim. */
export function unrecognizedProducts(a: Pick<Advisory, 'products' | 'families' | 'publisher'>): string[] {
  if (a.families.length > 0 || (a.publisher !== 'vendor' && a.publisher !== 'cisa')) return [];
  return [...a.products];
}
