// The cases' settings (`cases` in the collector's configuration): the CAS addresses, the SMTP listener and the IMAP
// mailbox that bring mail in, the intake's limits, and the portal's sign-in (docs/cases.md).
import { z } from 'zod';

/** The IMAP mailbox polled for the CAS address (IDLE when the server offers it). */
export const imapConfigSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535).default(993),
  /** TLS from the first byte (993); false: plain, upgraded by STARTTLS when offered. */
  secure: z.boolean().default(true),
  user: z.string().min(1),
  pass: z.string().min(1),
  mailbox: z.string().default('INBOX'),
  /** Seconds between polls when the server does not offer IDLE (and the longest an IDLE waits). */
  pollSeconds: z.number().int().min(5).max(3600).default(60),
  rejectUnauthorized: z.boolean().default(true),
}).strict();
export type ImapConfig = z.infer<typeof imapConfigSchema>;

/** The `cases` section. */
export const casesConfigSchema = z.object({
  /** The CAS addresses: the only recipients the listener accepts, and the reply address of cases' mail. */
  mailboxes: z.array(z.email()).min(1).default(['soporte@cas.xpears.local']),
  /** Largest attachment accepted (the manuals: 10 MB). */
  maxAttachmentBytes: z.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  /** More than `max` mails from one address within `windowMinutes` are recorded, not acted on nor answered. */
  throttle: z.object({
    max: z.number().int().min(1).default(20),
    windowMinutes: z.number().int().min(1).default(10),
  }).strict().prefault({}),
  /** The priority (Nivel 1–4) of a mailed case whose body names none. */
  defaultPriority: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).default(3),
  /** Days after closing in which a contact may reopen a case in the portal. */
  reopenDays: z.number().int().min(0).max(365).default(7),
  /** The SMTP listener, for providers that route the mailbox to the collector (`npm start` enables it on 2527). */
  smtp: z.object({
    enabled: z.boolean().default(false),
    address: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(2527),
    maxMessageBytes: z.number().int().min(1024).default(30 * 1024 * 1024),
  }).strict().prefault({}),
  /** The contacts' portal (/portal): how long a mailed sign-in link and a session last, the address its links name. */
  portal: z.object({
    /** How contacts sign in: a one-time link mailed to them (no password to forget), a password, or either. */
    signIn: z.enum(['link', 'password', 'both']).default('link'),
    linkMinutes: z.number().int().min(1).max(1440).default(15),
    sessionHours: z.number().int().min(1).max(720).default(8),
    /** The collector's address as contacts reach it (a proxy's); the listening address when absent. */
    publicUrl: z.url().optional(),
  }).strict().prefault({}),
  /** The IMAP mailbox to poll; none by default. */
  imap: imapConfigSchema.optional(),
}).strict();
export type CasesConfig = z.infer<typeof casesConfigSchema>;
