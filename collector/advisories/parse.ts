// Pure parsers from a source's decoded body to feed items: RSS/Atom through rss-parser's parseString (categories
// normalized for both, research §2 points 1–2), CISA's KEV catalogue and Broadcom's advisory list from JSON.
import Parser from 'rss-parser';
import { z } from 'zod';
import type { ProductVendor } from '../registry/types.js';
import { canonicalLink, cvesIn, esetAdvisoryId, normalizeCve, visibleText } from './identity.js';
import type { FeedItem, SourceKind } from './types.js';
import { sectionsOf, versionsIn } from './versions.js';

/** A body that is not the format its source declares: reported for that source, never fatal to a poll. */
export class FeedFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedFormatError';
  }
}

const SUMMARY_MAX = 2000;

/** Parses one source's body by its kind; throws FeedFormatError when it cannot. */
export async function parseFeed(kind: SourceKind, text: string): Promise<FeedItem[]> {
  if (kind === 'cisa-kev') return parseKev(text);
  if (kind === 'broadcom-json') return parseBroadcomAdvisories(text);
  return parseXmlFeed(text);
}

type RawCategory = string | { _?: string; $?: { term?: string; label?: string; domain?: string; scheme?: string } };
type RawItem = {
  categoryList?: RawCategory[];
  id?: string;
  summary?: string;
};

// Categories are read through a custom field: rss-parser skips Atom's <category term=…/> otherwise.
const xmlParser = new Parser<Record<string, unknown>, RawItem>({
  customFields: { item: [['category', 'categoryList', { keepArray: true }]] },
});

/** Parses an RSS 0.9x/1.0/2.0 or Atom document into feed items. */
export async function parseXmlFeed(text: string): Promise<FeedItem[]> {
  let feed;
  try {
    // xml2js rejects anything before the first tag: a BOM or blank lines some servers send (issues #95, #194).
    feed = await xmlParser.parseString(text.replace(/^[\uFEFF\s]+/, ''));
  } catch (err) {
    throw new FeedFormatError(`not a readable RSS or Atom feed: ${firstLine((err as Error).message)}`);
  }
  const items: FeedItem[] = [];
  for (const raw of feed.items) {
    const title = clean(raw.title ?? '');
    if (!title && !raw.link) continue;
    const categories: string[] = [];
    let severity: string | undefined;
    for (const c of raw.categoryList ?? []) {
      const value = typeof c === 'string' ? c : c._ ?? c.$?.label ?? c.$?.term;
      if (!value?.trim()) continue;
      const domain = typeof c === 'string' ? '' : `${c.$?.domain ?? ''} ${c.$?.scheme ?? ''}`;
      if (/sever|risk|riesgo|gravedad/i.test(domain)) severity = value.trim();
      else categories.push(value.trim());
    }
    const html = String(raw.content ?? raw.summary ?? '');
    const sections = sectionsOf(html);
    const summary = clip(clean(sections.issue ?? raw.contentSnippet ?? stripTags(raw.summary ?? raw.content ?? '')));
    const link = canonicalLink(raw.link);
    const vendorId = /(?:^|\.)eset\.com$/i.test(hostOf(link)) ? esetAdvisoryId(`${link ?? ''} ${title}`) : undefined;
    const versions = versionsIn(`${sections.solution ?? ''}\n${summary}`);
    items.push({
      guid: raw.guid ?? raw.id, link, title: title || (raw.link ?? ''),
      published: raw.isoDate, summary, categories, severity,
      products: sections.affected.map(productOfLine).filter(Boolean), cves: findCves(`${title} ${summary} ${stripTags(html)}`),
      ...(vendorId ? { vendorId, vendorLink: link, vendorPublished: raw.isoDate } : {}),
      ...(sections.affected.length ? { affectedVersions: sections.affected } : {}),
      ...(versions.fixed.length ? { fixedVersions: versions.fixed } : {}),
      ...(sections.solution ? { action: clip(sections.solution) } : {}),
    });
  }
  return items;
}

const kevSchema = z.object({
  vulnerabilities: z.array(z.object({
    cveID: z.string(), vendorProject: z.string(), product: z.string(), vulnerabilityName: z.string(),
    dateAdded: z.string(), shortDescription: z.string().default(''), requiredAction: z.string().optional(),
    dueDate: z.string().optional(), knownRansomwareCampaignUse: z.string().optional(),
    notes: z.string().optional(), cwes: z.array(z.string()).optional(),
  })),
});

/** The vendor of a KEV entry among ours, or undefined: Broadcom counts only for its Symantec products. */
export function kevVendor(vendorProject: string, product: string): ProductVendor | undefined {
  if (/^eset\b/i.test(vendorProject.trim())) return 'eset';
  if (/symantec/i.test(vendorProject)) return 'symantec';
  if (/^broadcom$/i.test(vendorProject.trim()) && /symantec|endpoint protection/i.test(product)) return 'symantec';
  return undefined;
}

/** Parses CISA's KEV catalogue, keeping only the entries of ESET and Symantec products. */
export function parseKev(text: string): FeedItem[] {
  const catalogue = kevSchema.safeParse(parseJson(text));
  if (!catalogue.success) throw new FeedFormatError(`not a KEV catalogue: ${catalogue.error.issues[0]?.path.join('.') ?? ''}`);
  const items: FeedItem[] = [];
  for (const v of catalogue.data.vulnerabilities) {
    const vendor = kevVendor(v.vendorProject, v.product);
    // The id as compared and shown: CISA's 2025 re-publication removed zero-width spaces from 213 of them.
    const cve = normalizeCve(v.cveID);
    if (!vendor || !cve) continue;
    const vendorLink = vendorLinkOf(v.notes ?? '');
    items.push({
      guid: `kev:${cve}`, link: `https://nvd.nist.gov/vuln/detail/${cve}`,
      title: `${cve}: ${visibleText(v.vulnerabilityName)}`, published: isoDay(v.dateAdded),
      summary: clip(visibleText(v.shortDescription)), categories: v.cwes ?? [], products: [kevProduct(v.vendorProject, v.product)],
      cves: [cve], vendor, action: v.requiredAction ? visibleText(v.requiredAction) : undefined,
      kev: { ransomware: v.knownRansomwareCampaignUse === 'Known', dueDate: v.dueDate },
      ...(vendorLink ? { vendorLink } : {}),
    });
  }
  return items;
}

/** A KEV product as a person reads it: "Symantec Messaging Gateway", never "Symantec Symantec Messaging Gateway". */
export function kevProduct(vendorProject: string, product: string): string {
  const vendor = visibleText(vendorProject);
  const name = visibleText(product);
  return name.toLowerCase().startsWith(vendor.toLowerCase()) ? name : `${vendor} ${name}`;
}

// The vendor's advisory among a KEV entry's notes (links separated by " ; "): the first that is not NVD's or CISA's.
function vendorLinkOf(notes: string): string | undefined {
  for (const part of notes.split(/\s*;\s*|\s+/)) {
    const link = canonicalLink(part);
    if (link && !/(?:^|\.)(?:nvd\.nist\.gov|cisa\.gov)$/i.test(hostOf(link))) return link;
  }
  return undefined;
}

function hostOf(link: string | undefined): string {
  try {
    return link ? new URL(link).hostname : '';
  } catch {
    return '';
  }
}

// "ESET PROTECT (on-prem) 11.0 and earlier" → "ESET PROTECT (on-prem)": the product an affected line names.
function productOfLine(line: string): string {
  return line.replace(/\s+(?:v(?:ersion)?\s*)?\d[\w.]*(?:\s.*)?$/i, '').trim();
}

const broadcomEntry = z.object({
  notificationId: z.union([z.string(), z.number()]).optional(), documentId: z.string().optional(),
  title: z.string(), severity: z.string().optional(), affectedCve: z.string().optional(),
  supportProducts: z.string().optional(), published: z.string().optional(), updated: z.string().optional(),
  notificationUrl: z.string().optional(), workAround: z.string().optional(), summary: z.string().optional(),
});
const broadcomSchema = z.union([
  z.object({ data: z.object({ list: z.array(broadcomEntry) }) }).transform((r) => r.data.list),
  z.object({ list: z.array(broadcomEntry) }).transform((r) => r.list),
]);
const DETAIL_URL = 'https://support.broadcom.com/web/ecx/support-content-notification/-/external/content/SecurityAdvisories/0/';

/** Parses Broadcom's security-advisory list (`data.list[]`, research §1.2). */
export function parseBroadcomAdvisories(text: string): FeedItem[] {
  const list = broadcomSchema.safeParse(parseJson(text));
  if (!list.success) throw new FeedFormatError('not a Broadcom advisory list (expected data.list[])');
  return list.data.map((a) => {
    const id = a.notificationId !== undefined ? String(a.notificationId) : a.documentId;
    const cves = (a.affectedCve ?? '').split(/[,;]+|\s+(?=CVE)/i).flatMap((c) => normalizeCve(c) ?? []);
    const link = canonicalLink(a.notificationUrl) ?? (id ? `${DETAIL_URL}${id}` : undefined);
    const versions = versionsIn(`${a.workAround ?? ''}\n${a.summary ?? ''}`);
    const published = parseDate(a.published ?? a.updated);
    return {
      guid: id ? `broadcom:${id}` : undefined,
      link, vendorLink: link, vendorId: id ? `broadcom:${id}` : undefined, vendorPublished: published,
      ...(versions.fixed.length ? { fixedVersions: versions.fixed } : {}),
      ...(versions.affected.length ? { affectedVersions: versions.affected } : {}),
      title: clean(visibleText(a.title)), published, summary: clip(stripTags(a.summary ?? '')),
      categories: [], severity: a.severity?.trim() || undefined,
      products: (a.supportProducts ?? '').split(/\s*[,;\n]\s*/).map((p) => p.trim()).filter(Boolean),
      cves: cves.length ? cves : findCves(a.title),
      action: meaningful(a.workAround ? clip(stripTags(a.workAround)) : undefined),
    } satisfies FeedItem;
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new FeedFormatError(`not JSON: ${firstLine((err as Error).message)}`);
  }
}

function parseDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : `${value} UTC`);
  const u = Number.isNaN(t) ? Date.parse(value) : t;
  return Number.isNaN(u) ? undefined : new Date(u).toISOString();
}

function isoDay(day: string): string | undefined {
  return parseDate(day);
}

/** The CVE identifiers a text names, upper-cased, each once (an invisible character inside one does not hide it). */
export function findCves(text: string): string[] {
  return cvesIn(text);
}

/** A field's value unless it says nothing ("", "None", "N/A", "-"). */
export function meaningful(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v && !/^(?:none|n\/?a|-+|null|not applicable|ninguno|ninguna)\.?$/i.test(v) ? v : undefined;
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string): string {
  const t = clean(text);
  return t.length > SUMMARY_MAX ? `${t.slice(0, SUMMARY_MAX - 1)}…` : t;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
