// The wire contract between agent and collector: one envelope per capture, sent in batches.
// Version 1. A change that an older collector cannot read bumps PROTOCOL_VERSION.
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;

/** How a capture reached the agent. */
export const TRANSPORTS = ['snmp', 'smtp', 'syslog'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** One SNMP variable binding, with its value rendered as text (OctetStrings as UTF-8 when valid). */
export const varbindSchema = z.object({
  oid: z.string().regex(/^\d+(\.\d+)*$/, 'an OID is dotted decimal'),
  type: z.string().max(64),
  value: z.string().max(65_536),
  /** Set when an OctetString was not valid UTF-8: then `value` is base64 of the bytes. */
  encoding: z.literal('base64').optional(),
});
export type Varbind = z.infer<typeof varbindSchema>;

/** An SNMP trap or inform as decoded at the agent. The community and v3 keys are never forwarded. */
export const snmpCaptureSchema = z.object({
  version: z.enum(['v1', 'v2c', 'v3']),
  pduType: z.enum(['trap-v1', 'trap-v2', 'inform']),
  /** v3 only: the USM user that authenticated the message. */
  user: z.string().max(256).optional(),
  /** v2c/v3: value of snmpTrapOID.0; v1: enterprise OID. */
  trapOid: z.string().max(1024).optional(),
  enterprise: z.string().max(1024).optional(),
  genericTrap: z.number().int().optional(),
  specificTrap: z.number().int().optional(),
  agentAddr: z.string().max(64).optional(),
  uptime: z.number().optional(),
  varbinds: z.array(varbindSchema).max(4096),
});
export type SnmpCapture = z.infer<typeof snmpCaptureSchema>;

/** An attachment the agent dropped: only its identity travels, never its bytes. */
export const droppedAttachmentSchema = z.object({
  filename: z.string().max(1024).optional(),
  contentType: z.string().max(256),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** A notification e-mail as accepted by the agent's SMTP receiver. */
export const smtpCaptureSchema = z.object({
  mailFrom: z.string().max(1024),
  rcptTo: z.array(z.string().max(1024)).min(1).max(1000),
  /** Header lines in order, name as sent. */
  headers: z.array(z.tuple([z.string().max(1024), z.string().max(65_536)])).max(2000),
  subject: z.string().max(65_536).optional(),
  from: z.string().max(4096).optional(),
  date: z.string().max(128).optional(),
  messageId: z.string().max(1024).optional(),
  text: z.string().max(4_000_000).optional(),
  html: z.string().max(8_000_000).optional(),
  attachments: z.array(droppedAttachmentSchema).max(10_000),
  /** Problems met while decoding (broken encodings, nesting cut off): kept so nobody wonders. */
  warnings: z.array(z.string().max(1024)).max(100).optional(),
});
export type SmtpCapture = z.infer<typeof smtpCaptureSchema>;

/** One syslog message as framed by the agent; the collector parses the header. */
export const syslogCaptureSchema = z.object({
  protocol: z.enum(['udp', 'tcp', 'tls']),
  /** The message exactly as received (BOM removed), without its framing. */
  line: z.string().max(1_000_000),
});
export type SyslogCapture = z.infer<typeof syslogCaptureSchema>;

const base = {
  /** UUIDv7, generated once at capture; the collector stores an id once. */
  id: z.string().uuid(),
  /** ISO 8601 UTC instant of capture at the agent. */
  capturedAt: z.string().datetime({ offset: true }),
  source: z.object({ address: z.string().max(64), port: z.number().int().min(0).max(65_535) }),
};

/** An envelope: one capture with its identity; discriminated by transport. */
export const envelopeSchema = z.discriminatedUnion('transport', [
  z.object({ ...base, transport: z.literal('snmp'), snmp: snmpCaptureSchema }).strict(),
  z.object({ ...base, transport: z.literal('smtp'), smtp: smtpCaptureSchema }).strict(),
  z.object({ ...base, transport: z.literal('syslog'), syslog: syslogCaptureSchema }).strict(),
]);
export type Envelope = z.infer<typeof envelopeSchema>;
export type SnmpEnvelope = Extract<Envelope, { transport: 'snmp' }>;
export type SmtpEnvelope = Extract<Envelope, { transport: 'smtp' }>;
export type SyslogEnvelope = Extract<Envelope, { transport: 'syslog' }>;

/** What a capture becomes before it has an id and a time: what receivers hand to the outbox. */
export type Capture =
  | { transport: 'snmp'; source: Envelope['source']; snmp: SnmpCapture }
  | { transport: 'smtp'; source: Envelope['source']; smtp: SmtpCapture }
  | { transport: 'syslog'; source: Envelope['source']; syslog: SyslogCapture };

/** The body of POST /v1/envelopes. Envelopes are validated one by one so one bad one spoils nothing. */
export const envelopeBatchSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  envelopes: z.array(z.unknown()).min(1).max(5000),
});
export type EnvelopeBatch = { protocol: typeof PROTOCOL_VERSION; envelopes: Envelope[] };

/** The collector's answer to a batch: every envelope is in exactly one list. */
export interface BatchResult {
  accepted: string[];
  duplicates: string[];
  rejected: { index: number; id?: string; error: string }[];
}

/** The body of POST /v1/heartbeats. */
export const heartbeatSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  agentVersion: z.string().max(64),
  sentAt: z.string().datetime({ offset: true }),
  hostname: z.string().max(256),
  outbox: z.object({
    depth: z.number().int().nonnegative(),
    oldestAgeSeconds: z.number().nonnegative().nullable(),
    deadLettered: z.number().int().nonnegative(),
    refusing: z.boolean(),
  }),
  receivers: z.array(z.object({
    name: z.string().max(64),
    healthy: z.boolean(),
    listening: z.string().max(128),
    received: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative(),
    lastError: z.string().max(1024).nullable(),
  })).max(32),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;
