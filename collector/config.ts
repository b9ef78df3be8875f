// The collector's configuration: where it listens and keeps its data, the plans, the business calendar, and the
// sections of each stage (notifications, tickets, advisories, reports).
import { z } from 'zod';
import { calendarConfigSchema } from '../config/calendar.js';
import { notifyConfigSchema } from './notify/config.js';
import { advisoriesConfigSchema } from './advisories/config.js';
import { CASE_KINDS } from '../config/plans.js';
import { escalationConfigSchema } from './escalation/config.js';
import { PLAN_IDS } from './registry/types.js';
import { connectionLimitsSchema } from './ingest/guard.js';
import { noiseConfigSchema } from './noise/config.js';
import { retentionConfigSchema } from './retention.js';
import { casesConfigSchema } from './cases/config.js';

const planOverrideSchema = z.object({
  name: z.string().optional(),
  allHours: z.boolean().optional(),
  contactsPerProduct: z.number().int().min(1).max(50).optional(),
  monthlyReport: z.boolean().optional(),
  responseMinutes: z.partialRecord(z.enum(CASE_KINDS), z.number().int().min(0)).optional(),
}).strict();

const engineerSchema = z.object({ name: z.string().min(1), email: z.email(), language: z.enum(['es', 'en']).default('es') }).strict();

/** The collector's configuration file. */
export const collectorConfigSchema = z.object({
  /** Where the database, the registry, the report archive and the admin token live. */
  dataDir: z.string().default('./data/collector'),
  listen: z.object({
    address: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8080),
  }).strict().prefault({}),
  /** HTTPS for the agents: certificate and key files (PEM). Without it the collector speaks plain HTTP. */
  tls: z.object({ certFile: z.string(), keyFile: z.string() }).strict().optional(),
  /** The operator token file; created with a random token when missing. */
  adminTokenFile: z.string().optional(),
  /** Largest request body after decompression. */
  bodyLimitBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(8 * 1024 * 1024),
  /** Request, header and idle timeouts; caps on connections in all and unauthenticated ones per address. */
  connections: connectionLimitsSchema.prefault({}),
  ingest: z.object({
    /** Worker threads that validate and parse agents' batches while the main thread stores them: `auto` = one per
     *  core but one, at most four (1 on two cores, 0 on one); 0 does everything in the main thread. */
    workers: z.union([z.literal('auto'), z.number().int().min(0).max(16)]).default('auto'),
  }).strict().prefault({}),
  /** Language of the provider's own texts (engineers' mail when an engineer has no language). */
  language: z.enum(['es', 'en']).default('es'),
  /** Overrides of the plan catalogue (config/plans.ts). */
  plans: z.partialRecord(z.enum(PLAN_IDS), planOverrideSchema).default({}),
  calendar: calendarConfigSchema.prefault({}),
  /** Outgoing notifications. Without it, messages queue and wait (status says so). */
  notify: notifyConfigSchema.optional(),
  tickets: z.object({
    /** A YAML/JSON file of triage rules; the shipped defaults (config/rules.default.yaml) when absent. */
    rulesFile: z.string().optional(),
    /** Warning before a missed response target, escalation after it, silent agents (docs/tickets.md). */
    escalation: escalationConfigSchema.prefault({}),
    /** Engineers told when a ticket reaches level 2 or 3. */
    levelEngineers: z.object({
      L2: z.array(engineerSchema).default([]),
      L3: z.array(engineerSchema).default([]),
    }).strict().prefault({}),
  }).strict().prefault({}),
  /** Silences' limits and storm control (docs/noise.md). */
  noise: noiseConfigSchema.prefault({}),
  advisories: advisoriesConfigSchema.extend({ enabled: z.boolean().default(true) }).prefault({}),
  /** Customers' cases: the CAS mailbox (SMTP listener, IMAP), attachments, floods, reopening (docs/cases.md). */
  cases: casesConfigSchema.prefault({}),
  /** How long each kind of data is kept (collector/retention.ts). */
  retention: retentionConfigSchema.prefault({}),
  reports: z.object({
    enabled: z.boolean().default(true),
    /** Hour of the first working day at which the month's reports are made. */
    hour: z.number().int().min(0).max(23).default(7),
  }).strict().prefault({}),
}).strict();
export type CollectorConfig = z.infer<typeof collectorConfigSchema>;
