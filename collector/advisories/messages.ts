// What a contact reads. One relay pass sends each contact one mail: the single-advisory alert when the pass has one
// advisory for that contact, else one bundle listing them all, most severe first: the first DETAILED_MAX in full
// (level and how it was found, kind, products, link, summary, what to do), the rest one line each, so a mail of
// hundreds of advisories stays readable. A message is rendered once per list of advisories and language and
// personalised per reader (renderPerReader: byte-identical to a full render).
import type { Language, RenderedMessage } from '../notify/types.js';
import { advisoryFacts } from './facts.js';
import {
  RISK_WORDS, VENDOR_NAMES, advisoryAlertTemplate, advisoryBundleTemplate, advisoryDigestTemplate, renderPerReader,
  type PersonalRender,
} from './templates.js';
import { RISK_LEVELS, type Advisory, type Recipient } from './types.js';

/** How many advisories of a bundle are given in full; the ones after get one line each. */
export const DETAILED_MAX = 10;

const RANK = new Map(RISK_LEVELS.map((r, i) => [r, i]));

/** Most severe first; within a level the newest publication first, then by id (a stable order). */
export function bySeverity(a: Advisory, b: Advisory): number {
  return (RANK.get(a.risk) ?? 9) - (RANK.get(b.risk) ?? 9)
    || (b.published ?? '').localeCompare(a.published ?? '') || a.id.localeCompare(b.id);
}

/** The data the alert template renders for one recipient. */
export function alertData(a: Advisory, r: Pick<Recipient, 'language' | 'name' | 'customerName'>): Record<string, unknown> {
  return { ...advisoryFacts(a, r.language), contactName: r.name, customerName: r.customerName };
}

/** The data the bundle template renders for advisories sorted bySeverity (names left for the reader). */
export function bundleData(advisories: readonly Advisory[], lang: Language): Record<string, unknown> {
  const detailed = advisories.slice(0, DETAILED_MAX).map((a, i) => {
    const f = advisoryFacts(a, lang);
    return { ...f, n: i + 1, quotedSummary: indented(String(f.quotedSummary)), sourceAction: indented(String(f.sourceAction)), whatToDo: indented(String(f.whatToDo)) };
  });
  const compact = advisories.slice(DETAILED_MAX).map((a, i) => ({
    n: DETAILED_MAX + i + 1, riskWord: RISK_WORDS[lang][a.risk], vendorName: VENDOR_NAMES[a.vendor], title: a.title,
    link: a.vendorLink ?? a.link ?? '', advisoryId: a.id,
  }));
  return {
    contactName: '', customerName: '', count: advisories.length, riskWord: RISK_WORDS[lang][advisories[0]!.risk],
    detailed, compact, compactCount: compact.length,
  };
}

// Continuation lines of a value inside a numbered item keep the item's indentation.
const indented = (text: string): string => text.replace(/\r?\n/g, '\n   ');

/** The data the digest template renders for one digest date's advisories (names left for the reader). */
export function digestData(advisories: readonly Advisory[], lang: Language, date: string): Record<string, unknown> {
  const items = advisories.map((a) => {
    const f = advisoryFacts(a, lang);
    return { riskWord: f.riskWord, vendorName: f.vendorName, title: a.title, kindWord: f.kindWord, publisherName: f.publisherName,
      products: f.products, fixed: f.fixed, link: f.vendorLink || f.link };
  });
  return { contactName: '', customerName: '', date, count: items.length, items };
}

const CACHE_MAX = 1_000;

/** Renders messages once per list of advisories and language (the caller names the list with a key) and
 *  personalises each per reader. */
export class MessageRenderer {
  private readonly renders = new Map<string, PersonalRender>();

  /** One contact's mail of a relay pass: the alert for one advisory, the bundle for several. */
  passMail(listKey: string, advisories: readonly Advisory[], lang: Language, contactName: string, customerName: string): RenderedMessage {
    return this.cached(`${lang}\u0000${listKey}`, () => advisories.length === 1
      ? renderPerReader(advisoryAlertTemplate, lang, alertData(advisories[0]!, { language: lang, name: '', customerName: '' }))
      : renderPerReader(advisoryBundleTemplate, lang, bundleData(advisories, lang)))(contactName, customerName);
  }

  /** One contact's digest of one date. */
  digestMail(listKey: string, advisories: readonly Advisory[], lang: Language, date: string, contactName: string, customerName: string): RenderedMessage {
    return this.cached(`${lang}\u0000${date}\u0000${listKey}`,
      () => renderPerReader(advisoryDigestTemplate, lang, digestData(advisories, lang, date)))(contactName, customerName);
  }

  private cached(key: string, make: () => PersonalRender): PersonalRender {
    let render = this.renders.get(key);
    if (!render) {
      if (this.renders.size >= CACHE_MAX) this.renders.clear();
      this.renders.set(key, render = make());
    }
    return render;
  }
}
