// The advisory sources and the relay's settings: a strict zod schema (unknown keys rejected, every error with its
// path), with the shipped defaults in config/advisory-sources.default.json.
import { IANAZone } from 'luxon';
import cron from 'node-cron';
import { z } from 'zod';
import shipped from '../../config/advisory-sources.default.json' with { type: 'json' };
import { XpearsError } from '../../lib/errors.js';
import { deepFreeze } from '../../config/load.js';
import { PUBLISHERS, RISK_LEVELS, SOURCE_KINDS, type Publisher } from './types.js';

const cronExpression = z.string().refine((expr) => cron.validate(expr), 'not a valid cron expression (node-cron syntax)');
const httpUrl = z.string().url().refine((u) => /^https?:\/\//i.test(u), 'expected an http(s) URL');

/** One feed or JSON endpoint read on its own schedule. */
export const advisorySourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"'),
  vendor: z.enum(['eset', 'symantec', 'any']),
  kind: z.enum(SOURCE_KINDS),
  url: httpUrl,
  schedule: cronExpression,
  // Case-insensitive words: an item is kept only if one occurs in its title, products or categories.
  productFilter: z.array(z.string().min(1)).optional(),
  // A JSON body makes the request a POST (Broadcom's advisory list is read that way).
  body: z.string().optional(),
  // Who publishes it (named in the mail): default CISA for the KEV catalogue, the vendor for Broadcom's list, the
  // vendor's blog for other feeds of a vendor, "other" for generic feeds.
  publisher: z.enum(PUBLISHERS).optional(),
  // The language its items are written in: text in another language than the reader's is quoted as the original.
  language: z.enum(['es', 'en']).optional(),
  enabled: z.boolean().default(true),
});

/** The advisory relay's configuration, every default filled in. */
export const advisoriesConfigSchema = z.strictObject({
  sources: z.array(advisorySourceSchema).default(() => structuredClone(shipped.sources) as never)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((s, i) => {
        if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `the source id "${s.id}" is used twice` });
        seen.add(s.id);
      });
    }),
  // A browser-like agent: cisa.gov answers 403 to library defaults (research §1.3).
  userAgent: z.string().min(1).default(shipped.userAgent),
  timeoutMs: z.number().int().min(100).max(300_000).default(20_000),
  maxRedirects: z.number().int().min(0).max(10).default(5),
  // Redirects to loopback, link-local and private addresses are refused unless this is set (redirect-guard.ts).
  allowPrivateRedirects: z.boolean().default(false),
  maxBodyBytes: z.number().int().min(1024).default(20_000_000),
  proxy: httpUrl.optional(),
  // Items published longer ago than this are stored but never relayed: a new source must not flood contacts.
  maxAgeDays: z.number().int().min(1).max(365).default(14),
  // Risk levels an engineer must approve before they go out.
  holdForReview: z.array(z.enum(RISK_LEVELS)).default([]),
  digest: z.strictObject({
    hour: z.number().int().min(0).max(23).default(8),
    zone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'not an IANA time zone')
      .default('America/Argentina/Buenos_Aires'),
  }).prefault({}),
});

/** Who publishes a source's items: its setting, else what its kind implies. */
export function publisherOf(source: Pick<AdvisorySource, 'publisher' | 'kind' | 'vendor'>): Publisher {
  if (source.publisher) return source.publisher;
  if (source.kind === 'cisa-kev') return 'cisa';
  if (source.kind === 'broadcom-json') return 'vendor';
  return source.vendor === 'any' ? 'other' : 'vendor-blog';
}

/** One validated source. */
export type AdvisorySource = z.output<typeof advisorySourceSchema>;
/** The validated configuration. */
export type AdvisoriesConfig = z.output<typeof advisoriesConfigSchema>;
/** The configuration as a person writes it (every key optional). */
export type AdvisoriesConfigInput = z.input<typeof advisoriesConfigSchema>;

/** Validates a configuration, throwing CONFIG_INVALID that lists every problem with its dotted path. */
export function parseAdvisoriesConfig(input: unknown): AdvisoriesConfig {
  const result = advisoriesConfigSchema.safeParse(input ?? {});
  if (result.success) return deepFreeze(result.data);
  const problems = result.error.issues.map((i) => `${['advisories', ...i.path].join('.')}: ${i.message}`);
  throw new XpearsError('CONFIG_INVALID', `the advisories configuration is not valid: ${problems.join('; ')}`, problems);
}

/** The shipped defaults (config/advisory-sources.default.json), validated. */
export function defaultAdvisoriesConfig(): AdvisoriesConfig {
  return parseAdvisoriesConfig(shipped);
}
