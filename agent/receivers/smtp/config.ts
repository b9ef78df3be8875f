// Settings of the SMTP receiver: where it listens, whom it accepts mail for and from, and the limits that keep a
// hostile message from hurting the agent.
import { z } from 'zod';
import { cidrListSchema } from '../net.js';

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((d) => d.replace(/^@/, ''))
  .refine((d) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d), { message: 'not a domain name (example: alerts.example.com)' });

const addressSchema = z.string().trim().toLowerCase().pipe(z.email({ message: 'not an e-mail address' }));

/** MIME limits applied while the message streams in; past any of them the rest of the message is not parsed and a
 *  warning travels with the capture. */
export const mimeLimitsSchema = z
  .object({
    /** MIME parts counted across all levels. */
    maxParts: z.number().int().min(1).max(5000).default(200),
    /** Nesting of multiparts and embedded messages. */
    maxDepth: z.number().int().min(1).max(100).default(8),
    /** Header fields of any single part. */
    maxHeaderLines: z.number().int().min(10).max(2000).default(500),
    /** Wall time one message may spend being parsed before the parse is cut short. */
    parseTimeoutMs: z.number().int().min(100).max(300_000).default(10_000),
  })
  .strict();
export type MimeLimits = z.infer<typeof mimeLimitsSchema>;

/** The SMTP receiver's configuration (strict: unknown keys are errors). */
export const smtpReceiverConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(2525),
    /** Name in the greeting and EHLO answer. */
    serverName: z.string().min(1).max(255).default('xpears-agent'),
    /** Mail is accepted only for these; anything else is refused, so the agent is never a relay. */
    recipients: z
      .object({
        addresses: z.array(addressSchema).default([]),
        domains: z.array(domainSchema).default([]),
      })
      .strict(),
    /** Networks a console may connect from; others get 554 at connect. */
    allowedNetworks: cidrListSchema.default(['127.0.0.1/32', '::1/128']),
    /** When not empty, MAIL FROM must be one of these addresses or domains ("@example.com" or "example.com"). */
    allowedSenders: z.array(z.string().trim().toLowerCase().min(1)).default([]),
    /** Advertised as SIZE; a larger message is answered 552. */
    maxMessageBytes: z.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
    maxConnections: z.number().int().min(1).max(10_000).default(20),
    /** Concurrent sessions from one source address; more get 421. */
    maxConnectionsPerSource: z.number().int().min(1).max(10_000).default(5),
    /** A session is closed after this long, whatever it is doing: the minimum data rate (a 10 MiB message in
     *  10 minutes is about 17 KiB/s), so that a peer trickling bytes cannot hold a slot. */
    maxSessionMs: z.number().int().min(1000).max(86_400_000).default(600_000),
    /** A mail repeated within this many seconds (same Message-ID, envelope and content) is answered 250 again but
     *  stored once, also across a restart of the agent. 0 turns this off. */
    messageIdWindowSeconds: z.number().int().min(0).max(30 * 86_400).default(86_400),
    /** An idle session is closed after this long. */
    idleTimeoutMs: z.number().int().min(1000).max(3_600_000).default(60_000),
    tls: z
      .object({
        certFile: z.string().min(1),
        keyFile: z.string().min(1),
        /** Refuse MAIL FROM before STARTTLS. */
        required: z.boolean().default(false),
      })
      .strict()
      .optional(),
    auth: z
      .object({
        /** Refuse MAIL FROM before a successful AUTH. */
        required: z.boolean().default(false),
        /** Allow AUTH without TLS: the password then crosses the network in clear. */
        allowInsecure: z.boolean().default(false),
        /** A failed AUTH is answered only after this long. */
        failureDelayMs: z.number().int().min(0).max(60_000).default(1000),
        /** Failed AUTH attempts from one address, within lockoutSeconds, before it is locked out. */
        maxFailures: z.number().int().min(1).max(1000).default(5),
        /** How long a locked-out address has every AUTH refused (454), the right password included. */
        lockoutSeconds: z.number().int().min(1).max(86_400).default(900),
        users: z
          .array(z.object({ username: z.string().min(1).max(256), password: z.string().min(1).max(1024) }).strict())
          .min(1),
      })
      .strict()
      .optional(),
    limits: mimeLimitsSchema.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.recipients.addresses.length === 0 && config.recipients.domains.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['recipients'],
        message: 'list at least one recipient address or domain: the receiver accepts mail only for them',
      });
    }
    if (config.auth && !config.tls && !config.auth.allowInsecure) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth'],
        message: 'AUTH without TLS sends passwords in clear: configure tls, or set auth.allowInsecure: true',
      });
    }
  });

/** The validated SMTP receiver configuration. */
export type SmtpReceiverConfig = z.infer<typeof smtpReceiverConfigSchema>;
/** What a person writes: defaults may be left out. */
export type SmtpReceiverConfigInput = z.input<typeof smtpReceiverConfigSchema>;
