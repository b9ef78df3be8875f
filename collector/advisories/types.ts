// The shapes that flow through the advisory pipeline: a feed item as parsed, its classification, the stored advisory.
import type { ProductVendor } from '../registry/types.js';
import type { Recipient as ContactRecipient } from '../registry/recipients.js';

/** The one risk scale every vendor's wording is mapped onto, most urgent first. */
export const RISK_LEVELS = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** What an advisory is about. */
export const ADVISORY_KINDS = ['threat', 'vulnerability', 'product-update', 'end-of-life', 'other'] as const;
export type AdvisoryKind = (typeof ADVISORY_KINDS)[number];

/** How the risk level was found, strongest evidence first. */
export const RISK_SOURCES = ['severity-field', 'cvss-score', 'cvss-vector', 'categories', 'title-words', 'kev', 'default'] as const;
export type RiskSource = (typeof RISK_SOURCES)[number];

/** Where an advisory is in its life: new → held → approved → relayed, or dropped. */
export const ADVISORY_STATES = ['new', 'held', 'approved', 'relayed', 'dropped'] as const;
export type AdvisoryState = (typeof ADVISORY_STATES)[number];

/** The source kinds the parsers understand. */
export const SOURCE_KINDS = ['rss', 'atom', 'cisa-kev', 'broadcom-json'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** A source's vendor: one of the products' vendors, or 'any' for generic sources (CISA) read for both. */
export type SourceVendor = ProductVendor | 'any';

/** One item as a parser read it, before any judgement: the vendor's own words, nothing inferred. */
export interface FeedItem {
  guid?: string;
  link?: string;
  title: string;
  /** ISO 8601, when the feed gave a date that parses. */
  published?: string;
  /** Plain text (HTML stripped), at most a few thousand characters. */
  summary: string;
  categories: string[];
  /** A structured severity field (Broadcom's `severity`, a category with a severity domain). */
  severity?: string;
  cvssScore?: number;
  cvssVector?: string;
  /** Product names the source states (KEV `product`, Broadcom `supportProducts`). */
  products: string[];
  cves: string[];
  /** The vendor the source states for this item (KEV `vendorProject`), already mapped. */
  vendor?: ProductVendor;
  /** Present when the item comes from CISA's Known Exploited Vulnerabilities catalogue. */
  kev?: { ransomware: boolean; dueDate?: string };
  /** What the source says to do (KEV `requiredAction`, Broadcom `workAround`). */
  action?: string;
  /** The vendor's own advisory id (ESET "CA8810", Broadcom's notification id), when the source gives one. */
  vendorId?: string;
  /** The vendor's advisory page (a KEV entry's `notes` link to it, a Broadcom `notificationUrl`). */
  vendorLink?: string;
  /** The date the vendor published its advisory, when this source is the vendor or quotes it. */
  vendorPublished?: string;
  /** Affected and fixed versions, in the source's words, when it states them. */
  affectedVersions?: string[];
  fixedVersions?: string[];
}

/** Who published an item: the vendor's advisory or notice, the vendor's blog, CISA, someone else. */
export const PUBLISHERS = ['vendor', 'vendor-blog', 'cisa', 'other'] as const;
export type Publisher = (typeof PUBLISHERS)[number];

/** One source that carried an advisory (it may come from several: KEV twice, the vendor's advisory). */
export interface AdvisorySighting {
  source: string;
  publisher: Publisher;
  link: string | null;
  published: string | null;
  seenAt: string;
}

/** The judgement on one item. */
export interface Classification {
  vendor: ProductVendor;
  products: string[];
  kind: AdvisoryKind;
  risk: RiskLevel;
  riskSource: RiskSource;
  /** What the contact should do, when the source says it (KEV `requiredAction`, Broadcom `workAround`). */
  action?: string;
}

/** An advisory as stored. */
export interface Advisory extends Classification {
  id: string;
  source: string;
  guid: string | null;
  link: string | null;
  title: string;
  summary: string;
  published: string | null;
  state: AdvisoryState;
  firstSeen: string;
  decidedBy: string | null;
  decidedAt: string | null;
  dropReason: string | null;
  relayedAt: string | null;
  /** The relay pass that took it (set with state 'relayed'). */
  passId: string | null;
  /** For an advisory below high that was relayed: the date of the digest it goes in. */
  digestDate: string | null;
  /** Who published it (its first source). */
  publisher: Publisher;
  /** The language its title, summary and action are written in (the source's). */
  textLanguage: 'es' | 'en';
  /** The product families its products belong to (products.ts); empty: a vendor-wide notice. */
  families: string[];
  vendorId: string | null;
  vendorLink: string | null;
  vendorPublished: string | null;
  affectedVersions: string[];
  fixedVersions: string[];
  /** Every source that carried it, first first. */
  sightings: AdvisorySighting[];
  /** For an update: the advisory it updates, and what changed ('risk', 'fixed-versions'). */
  updateOf: string | null;
  changes: string[];
}

/** How one contact gets an advisory: at once, or in the next daily digest. */
export type DeliveryMode = 'immediate' | 'digest';

/** One person an advisory goes to: the registry's Recipient (always a customer's contact), and how it is delivered. */
export interface Recipient extends ContactRecipient {
  customerId: string;
  customerName: string;
  contactId: string;
  mode: DeliveryMode;
}
