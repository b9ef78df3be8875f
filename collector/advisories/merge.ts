// One classified item into the store: a new advisory, or merged into the one it already is. The same vulnerability
// from several sources or re-publications is one advisory: found by its source's guid, link or title, or by a
// normalised key (a CVE id, the vendor's advisory id) that a vendor's or CISA's item shares with a stored one. A merge
// lists the new source and fills what the advisory lacked (the vendor's link and date, versions, products). What
// changes what a customer must do — a raised level, a new fixed version — is an update: relayed as such (a row
// with update_of) when the advisory was relayed already; folded into it when it has not gone yet.
import { rank } from './classify.js';
import { publisherOf, type AdvisoriesConfig, type AdvisorySource } from './config.js';
import { canonicalLink, vulnerabilityKeys } from './identity.js';
import { familiesOfProducts } from './products.js';
import { advisoryIdOf, identityOf, type AdvisoryStore } from './store.js';
import type { Advisory, AdvisoryState, Classification, FeedItem, RiskLevel } from './types.js';

/** What storing one item did: a new advisory, an update of a relayed one, a merge, or nothing new. */
export type StoreOutcome = { kind: 'new' | 'update'; advisory: Advisory } | { kind: 'merged' | 'seen' };

/** Stores one classified item of a source at `now` (inside the poll's transaction). */
export function storeItem(item: FeedItem, c: Classification, source: AdvisorySource, now: Date, store: AdvisoryStore,
  config: AdvisoriesConfig): StoreOutcome {
  const publisher = publisherOf(source);
  // A blog post naming a CVE is about it, not the advisory of it: only vendors' and CISA's items share keys.
  const keys = publisher === 'vendor' || publisher === 'cisa' ? vulnerabilityKeys(item) : [];
  const sameItem = store.findExisting(source.id, item);
  const existingId = sameItem ?? store.findByKeys(keys);
  const at = now.toISOString();
  if (existingId) {
    const existing = store.get(existingId);
    if (!existing) return { kind: 'seen' };
    store.addKeys(existing.id, keys);
    return merge(existing, item, c, source, at, store, config);
  }
  const { identity, titleKey } = identityOf(source.id, item);
  const advisory: Advisory = {
    ...c, id: advisoryIdOf(identity), source: source.id, guid: item.guid ?? null, link: canonicalLink(item.link) ?? null,
    title: item.title, summary: item.summary, published: item.published ?? null,
    state: initialState(item, c.risk, now, config), firstSeen: at,
    decidedBy: null, decidedAt: null, dropReason: null, relayedAt: null, passId: null, digestDate: null,
    publisher, textLanguage: source.language ?? 'en', families: familiesOfProducts(c.products, c.vendor),
    vendorId: item.vendorId ?? null, vendorLink: canonicalLink(item.vendorLink) ?? null, vendorPublished: item.vendorPublished ?? null,
    affectedVersions: item.affectedVersions ?? [], fixedVersions: item.fixedVersions ?? [],
    sightings: [{ source: source.id, publisher, link: canonicalLink(item.link) ?? null, published: item.published ?? null, seenAt: at }],
    updateOf: null, changes: [],
  };
  if (advisory.state === 'dropped') advisory.dropReason = `published more than ${config.maxAgeDays} days before it was first seen`;
  store.insert(advisory, identity, titleKey);
  store.addKeys(advisory.id, keys);
  if (advisory.dropReason) store.setState(advisory.id, 'dropped', at, 'system', advisory.dropReason);
  return { kind: 'new', advisory };
}

// Folds an item into a stored advisory; returns an update to relay when the change matters and it went already.
function merge(a: Advisory, item: FeedItem, c: Classification, source: AdvisorySource, at: string, store: AdvisoryStore,
  config: AdvisoriesConfig): StoreOutcome {
  const publisher = publisherOf(source);
  const merged: Advisory = { ...a };
  if (!a.sightings.some((s) => s.source === source.id)) {
    merged.sightings = [...a.sightings, { source: source.id, publisher, link: canonicalLink(item.link) ?? null, published: item.published ?? null, seenAt: at }];
  }
  // The vendor's own word wins for its link, date, products and advice.
  if (publisher === 'vendor') {
    merged.vendorLink = canonicalLink(item.vendorLink) ?? a.vendorLink;
    merged.vendorPublished = item.vendorPublished ?? a.vendorPublished;
    merged.vendorId = item.vendorId ?? a.vendorId;
    if (c.action && !a.action) merged.action = c.action;
  } else {
    merged.vendorLink = a.vendorLink ?? canonicalLink(item.vendorLink) ?? null;
  }
  merged.products = union(a.products, c.products);
  merged.families = familiesOfProducts(merged.products, a.vendor);
  merged.affectedVersions = union(a.affectedVersions, item.affectedVersions ?? []);
  const newFixed = (item.fixedVersions ?? []).filter((v) => !a.fixedVersions.includes(v));
  merged.fixedVersions = union(a.fixedVersions, newFixed);
  const raised = rank(c.risk) < rank(a.risk);
  if (raised) Object.assign(merged, { risk: c.risk, riskSource: c.riskSource });
  const changes = [...(raised ? ['risk'] : []), ...(newFixed.length > 0 ? ['fixed-versions'] : [])];
  // Dropped for its age, and now published again by a source within the age limit (KEV listing an old CVE): news.
  const revived = a.state === 'dropped' && a.decidedBy === 'system' && initialState(item, merged.risk, new Date(at), config) !== 'dropped';
  if (!revived && JSON.stringify(merged) === JSON.stringify(a)) return { kind: 'seen' };
  store.updateMerged(merged);
  if (revived) {
    const state = config.holdForReview.includes(merged.risk) ? 'held' : 'new';
    store.revive(a.id, state);
    return { kind: 'new', advisory: { ...merged, state, dropReason: null, decidedBy: null, decidedAt: null } };
  }
  if (changes.length === 0 || a.state !== 'relayed') return { kind: 'merged' };
  return { kind: 'update', advisory: insertUpdate(merged, changes, at, store, config) };
}

function insertUpdate(merged: Advisory, changes: string[], at: string, store: AdvisoryStore, config: AdvisoriesConfig): Advisory {
  const identity = `update:${merged.id}:${store.updateCount(merged.id) + 1}`;
  const update: Advisory = {
    ...merged, id: advisoryIdOf(identity), state: config.holdForReview.includes(merged.risk) ? 'held' : 'new', firstSeen: at,
    decidedBy: null, decidedAt: null, dropReason: null, relayedAt: null, passId: null, digestDate: null,
    updateOf: merged.id, changes,
  };
  store.insert(update, identity, `${identity}|`);
  return update;
}

const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];

// Old items are kept (so they are recognised later) but never sent: the first poll of a source must not flood anyone.
function initialState(item: FeedItem, risk: RiskLevel, now: Date, config: AdvisoriesConfig): AdvisoryState {
  const published = item.published ? Date.parse(item.published) : Number.NaN;
  if (Number.isFinite(published) && now.getTime() - published > config.maxAgeDays * 86_400_000) return 'dropped';
  return config.holdForReview.includes(risk) ? 'held' : 'new';
}
