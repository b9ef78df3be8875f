// Classification: which vendor an item concerns, what kind it is, and its risk level taken from the vendor's own
// words, with how the level was found. Pure; the rules are ordered from the strongest evidence to the weakest.
import type { ProductVendor } from '../registry/types.js';
import { cvss3BaseScore, findCvss3Vector, riskOfScore } from './cvss.js';
import type { AdvisoryKind, Classification, FeedItem, RiskLevel, RiskSource, SourceVendor } from './types.js';

const LEVEL_WORDS: [RegExp, RiskLevel][] = [
  [/^(?:critical|cr[ií]tic[ao]|severe|severa)$/i, 'critical'],
  [/^(?:high|important|importante|alt[ao]|elevad[ao])$/i, 'high'],
  [/^(?:medium|moderate|medi[ao]|moderad[ao])$/i, 'medium'],
  [/^(?:low|baj[ao])$/i, 'low'],
  [/^(?:info|informational|informative|informativ[ao]|none|ningun[ao])$/i, 'info'],
];

/** The risk level a vendor's severity word means (EN or ES), or undefined for a word we do not know. */
export function riskOfWord(word: string): RiskLevel | undefined {
  const w = word.trim().replace(/\s+(?:severity|risk|riesgo|severidad)$/i, '').replace(/^(?:severity|severidad|gravedad|riesgo)\s*[:=-]?\s*/i, '');
  return LEVEL_WORDS.find(([re]) => re.test(w))?.[1];
}

const LEVEL = 'critical|cr[ií]tic[ao]|high|important|alt[ao]|medium|moderate|medi[ao]|moderad[ao]|low|baj[ao]';
const SEVERITY_IN_TEXT = new RegExp(`\\b(?:severity|severidad|gravedad|risk level|nivel de riesgo)(?:\\s+(?:rating|level))?\\s*[:=\\-–]\\s*(${LEVEL})\\b`, 'i');
const CVSS_SCORE = /\bCVSS(?:\s*v?[234](?:\.[01])?)?(?:\s+(?:base|overall|puntuaci[oó]n))?(?:\s+score)?(?:\s+(?:of|is|de))?\s*[:=(]?\s*(\d{1,2}(?:\.\d)?)(?!\.?\d)/i;

const TITLE_WORDS: [RegExp, RiskLevel][] = [
  [/\bcritical\s+(?:security\s+)?(?:vulnerabilit|flaw|bug|update|patch|fix|advisory|severity)|\b(?:vulnerabilidad(?:es)?|falla|fallo|actualizaci[oó]n|parche)\s+(?:de\s+seguridad\s+)?cr[ií]tic[ao]s?\b|\bcr[ií]tic[ao]s?\s+vulnerabilidad/i, 'critical'],
  [/\b(?:zero[- ]day|0[- ]day|d[ií]a cero|actively exploited|exploited in the wild|explotad[ao]s? activamente|high[- ]severity|severidad alta|alta severidad|gravedad alta|urgent|urgente)\b/i, 'high'],
  [/\b(?:medium|moderate)[- ]severity\b|\bseveridad (?:media|moderada)\b|\bgravedad media\b/i, 'medium'],
  [/\blow[- ]severity\b|\bseveridad baja\b|\bgravedad baja\b/i, 'low'],
];

const KIND_RULES: [AdvisoryKind, RegExp][] = [
  ['end-of-life', /\bend[- ]of[- ](?:life|support|sale)\b|\bEO[LS]\b|\bfin de (?:vida|soporte)\b|\bdiscontinu|\blimited support\b|\bsoporte limitado\b|\bdeprecat/i],
  ['vulnerability', /\bvulnerabilit|\bvulnerabilidad|\bsecurity advisory|\baviso de seguridad|\bprivilege escalation|\bescalada de privilegios|\bremote code execution|\bejecuci[oó]n remota|\bCVE-\d/i],
  ['threat', /\bmalware|\bransomware|\btrojan|\btroyano|\bworm\b|\bgusano|\bvirus\b|\bbotnet|\bphishing|\bbackdoor|\bspyware|\bstealer|\bAPT\d*\b|\bcampaign|\bcampaña|\bthreat|\bamenaza|\battack|\bataque|\bzero[- ]day|\bd[ií]a cero/i],
  ['product-update', /\bupdate[sd]?\b|\breleased?\b|\bversion\b|\bhotfix|\bpatch|\bchangelog|\bnew features|\bactualizaci[oó]n|\bnueva versi[oó]n|\bparche|\blanzamiento/i],
];

const PRODUCT_NAME = /\b(?:ESET|Symantec)(?:\s+(?:(?:for|de|and)\s+)?[A-Z0-9][A-Za-z0-9+.-]*)+/g;
const NOT_PRODUCT = /^(?:ESET|Symantec)\s+(?:Research|Threat|Labs?|Team|Report|Intelligence|Says|Warns|Discovers|Finds)\b/i;

/** The vendor an item concerns: the source's own, the item's stated one, else the one its text names first. */
export function vendorOf(item: FeedItem, sourceVendor: SourceVendor): ProductVendor | undefined {
  if (sourceVendor !== 'any') return sourceVendor;
  if (item.vendor) return item.vendor;
  const text = `${item.title} ${item.products.join(' ')} ${item.summary}`;
  const eset = text.search(/\bESET\b/);
  const symantec = text.search(/\bSymantec\b|\bBroadcom\b/);
  if (eset < 0 && symantec < 0) return undefined;
  if (eset < 0) return 'symantec';
  if (symantec < 0) return 'eset';
  return eset <= symantec ? 'eset' : 'symantec';
}

/** The risk level and how it was found, strongest evidence first; KEV membership raises it to at least high. */
export function riskOf(item: FeedItem): { risk: RiskLevel; riskSource: RiskSource } {
  const found = statedRisk(item);
  if (item.kev) {
    const floor: RiskLevel = item.kev.ransomware ? 'critical' : 'high';
    if (!found || rank(found.risk) > rank(floor)) return { risk: floor, riskSource: 'kev' };
  }
  return found ?? { risk: 'info', riskSource: 'default' };
}

function statedRisk(item: FeedItem): { risk: RiskLevel; riskSource: RiskSource } | undefined {
  const fromField = item.severity ? riskOfWord(item.severity) : undefined;
  if (fromField) return { risk: fromField, riskSource: 'severity-field' };
  const text = `${item.title}\n${item.summary}`;
  const inText = SEVERITY_IN_TEXT.exec(text)?.[1];
  if (inText) return { risk: riskOfWord(inText) ?? 'info', riskSource: 'severity-field' };
  const vector = item.cvssVector ?? findCvss3Vector(text);
  // The vector is taken out first: its "CVSS:3.1" would otherwise read as a score of 3.1.
  const scoreText = vector ? text.split(vector).join(' ') : text;
  const stated = item.cvssScore ?? Number(CVSS_SCORE.exec(scoreText)?.[1] ?? Number.NaN);
  if (Number.isFinite(stated) && stated >= 0 && stated <= 10) return { risk: riskOfScore(stated), riskSource: 'cvss-score' };
  const computed = vector ? cvss3BaseScore(vector) : undefined;
  if (computed !== undefined) return { risk: riskOfScore(computed), riskSource: 'cvss-vector' };
  for (const category of item.categories) {
    const level = riskOfWord(category);
    if (level) return { risk: level, riskSource: 'categories' };
  }
  const byTitle = TITLE_WORDS.find(([re]) => re.test(item.title))?.[1];
  if (byTitle) return { risk: byTitle, riskSource: 'title-words' };
  return undefined;
}

/** What the item is about, from its title, categories and link path (never from the body's incidental words). */
export function kindOf(item: FeedItem, sourceKind?: string): AdvisoryKind {
  const head = `${item.title}\n${item.categories.join('\n')}`;
  if (KIND_RULES[0]![1].test(head)) return 'end-of-life';
  if (item.kev || item.cves.length > 0 || item.severity || sourceKind === 'broadcom-json') return 'vulnerability';
  for (const [kind, re] of KIND_RULES.slice(1)) if (re.test(head)) return kind;
  if (/\/threat-intelligence\/|\/eset-research\//i.test(item.link ?? '')) return 'threat';
  return 'other';
}

/** The product names an item concerns: those the source states, else the vendor product names its title uses. */
export function productsOf(item: FeedItem): string[] {
  if (item.products.length > 0) return [...new Set(item.products)];
  const names = [...item.title.matchAll(PRODUCT_NAME)].map((m) => m[0].trim()).filter((n) => !NOT_PRODUCT.test(n) && /\s/.test(n));
  return [...new Set(names)];
}

/** Classifies one item of a source; undefined when a generic source's item concerns none of our vendors. */
export function classify(item: FeedItem, source: { vendor: SourceVendor; kind?: string }): Classification | undefined {
  const vendor = vendorOf(item, source.vendor);
  if (!vendor) return undefined;
  const { risk, riskSource } = riskOf(item);
  const out: Classification = { vendor, products: productsOf(item), kind: kindOf(item, source.kind), risk, riskSource };
  if (item.action) out.action = item.action;
  return out;
}

/** Whether an item passes a source's product filter (no filter: everything passes). */
export function passesProductFilter(item: FeedItem, filter: readonly string[] | undefined): boolean {
  if (!filter || filter.length === 0) return true;
  const text = `${item.title}\n${item.products.join('\n')}\n${item.categories.join('\n')}`.toLowerCase();
  return filter.some((word) => text.includes(word.toLowerCase()));
}

/** Orders risk levels: 0 for critical … 4 for info. */
export function rank(level: RiskLevel): number {
  return ['critical', 'high', 'medium', 'low', 'info'].indexOf(level);
}
