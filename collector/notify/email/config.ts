// Settings of the outgoing SMTP server and of the sender every notification carries.
import { z } from 'zod';

/** The SMTP server the collector hands its mail to (the provider's relay, or Postfix on the host). */
export const smtpConfigSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535).default(587),
  /** Implicit TLS from the first byte (port 465). */
  secure: z.boolean().default(false),
  /** STARTTLS on a plain connection: 'required' refuses to send in clear, 'never' does not even try. */
  starttls: z.enum(['required', 'opportunistic', 'never']).default('opportunistic'),
  auth: z.strictObject({ user: z.string().min(1), pass: z.string().min(1) }).optional(),
  connectionTimeoutMs: z.number().int().positive().default(10_000),
  greetingTimeoutMs: z.number().int().positive().default(10_000),
  socketTimeoutMs: z.number().int().positive().default(60_000),
  tls: z.strictObject({
    /** A PEM file with the CA that signed the server's certificate, for a private relay. */
    caFile: z.string().min(1).optional(),
    rejectUnauthorized: z.boolean().default(true),
    /** The name to verify the certificate against, when `host` is an address. */
    servername: z.string().min(1).optional(),
  }).default({ rejectUnauthorized: true }),
  /** Reuse connections: an advisory to 2,000 contacts should not open 2,000 sessions. */
  pool: z.boolean().default(true),
  maxConnections: z.number().int().min(1).max(20).default(3),
}).refine((c) => !(c.secure && c.starttls === 'required'), {
  message: 'secure (implicit TLS) and starttls "required" exclude each other; choose one',
  path: ['starttls'],
});

/** Validated SMTP settings. */
export type SmtpConfig = z.infer<typeof smtpConfigSchema>;

/** The sender of every notification. Its domain also names the Message-ID, which is the outbox id. */
export const fromConfigSchema = z.strictObject({
  address: z.email(),
  name: z.string().min(1).default('Xpears CAS'),
});

/** Validated sender. */
export type FromConfig = z.infer<typeof fromConfigSchema>;
