// An advisory's identity, normalised: the same vulnerability reached through several sources or re-publications
// (KEV's 2025 re-publication removed zero-width spaces from 213 CVE ids) is one advisory. Its keys are its CVE ids
// and the vendor's own ids (ESET "CA8810", Broadcom notification 25283), without invisible characters and case-folded;
// links are canonicalised (no invisible characters, lower-case host, no fragment, no tracking parameters).
import type { FeedItem } from './types.js';

// Unicode's format characters (zero-width spaces and joiners, bidi marks, the BOM, soft hyphen) and the fillers.
const INVISIBLE = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0]/gu;

/** Text without invisible formatting characters, NFKC-normalised, trimmed. */
export function visibleText(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').trim();
}

/** A CVE id as compared: no invisible characters, upper case, any dash or spacing as "-"; undefined if not one. */
export function normalizeCve(raw: string): string | undefined {
  const m = /^CVE[\s\-‐-―]*(\d{4})[\s\-‐-―]*(\d{4,7})$/i.exec(visibleText(raw));
  return m ? `CVE-${m[1]}-${m[2]}` : undefined;
}

/** The CVE ids a text names (invisible characters inside an id do not hide it), each once, upper-cased. */
export function cvesIn(text: string): string[] {
  const flat = text.replace(INVISIBLE, '');
  return [...new Set([...flat.matchAll(/\bCVE-\d{4}-\d{4,7}\b/gi)].map((m) => m[0].toUpperCase()))];
}

/** An ESET customer advisory id ("CA8810", "ca 8810") in a text or a link, upper-cased; undefined when none. */
export function esetAdvisoryId(text: string): string | undefined {
  const m = /(?:^|[^a-z0-9])ca[\s-]?(\d{4,5})(?![0-9])/i.exec(visibleText(text));
  return m ? `CA${m[1]}` : undefined;
}

const TRACKING = /^(?:utm_[a-z]+|fbclid|gclid|mc_[a-z]+|ref|src)$/i;

/** A link as stored and shown: invisible characters removed, http(s) only, host lower-case, default port, fragment
 *  and tracking parameters dropped, no trailing slash on a path; undefined for anything that is not an http(s) URL. */
export function canonicalLink(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(visibleText(raw).replace(/\s+/g, ''));
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) if (TRACKING.test(key)) url.searchParams.delete(key);
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/, '');
  return url.toString();
}

/** The keys that make two items the same advisory: each CVE id, and the vendor's own advisory id. An item with
 *  none (a blog post) has no shared identity: it is recognised by its source's guid, its link or its title. */
export function vulnerabilityKeys(item: Pick<FeedItem, 'cves' | 'vendorId'>): string[] {
  const keys = new Set<string>();
  for (const c of item.cves) {
    const cve = normalizeCve(c);
    if (cve) keys.add(cve);
  }
  if (item.vendorId) keys.add(`vendor:${visibleText(item.vendorId).toUpperCase()}`);
  return [...keys];
}
