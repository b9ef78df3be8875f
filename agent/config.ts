// The agent's configuration: the collector to forward to, the outbox, and the receivers (each optional).
import { z } from 'zod';
import { snmpReceiverConfigSchema } from './receivers/snmp/config.js';
import { smtpReceiverConfigSchema } from './receivers/smtp/config.js';
import { syslogReceiverConfigSchema } from './receivers/syslog/config.js';

/** The agent's configuration file. */
export const agentConfigSchema = z.object({
  /** Where the outbox and the agent's state live. */
  dataDir: z.string().default('./data/agent'),
  collector: z.object({
    url: z.string().url({ message: 'the collector URL, e.g. https://collector.example.com:8443' }),
    /** The agent's token, as printed by `xpears agent enroll`. Prefer tokenFile or XPEARS_AGENT_TOKEN. */
    token: z.string().min(20).optional(),
    tokenFile: z.string().optional(),
    timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
    /** A corporate HTTP proxy: http://[user:pass@]host:port. */
    proxy: z.string().url().optional(),
    /** PEM file of the CA that signed the collector's certificate. */
    caFile: z.string().optional(),
    gzipLevel: z.number().int().min(0).max(9).default(1),
  }).strict(),
  outbox: z.object({
    /** Captures are refused once the queue takes this many bytes (a week of a busy console is far below). */
    maxBytes: z.number().int().min(1024).default(2 * 1024 ** 3),
    /** Captures are refused while fewer bytes than this would stay free on the outbox's disk (statfs). */
    minFreeBytes: z.number().int().min(0).default(128 * 1024 ** 2),
    /** A margin file of this size beside the outbox, released when recording the outbox's own state finds the disk full. */
    reserveBytes: z.number().int().min(0).default(16 * 1024 ** 2),
  }).strict().prefault({}),
  forwarder: z.object({
    batchSize: z.number().int().min(1).max(5000).default(2000),
    maxBatchBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(4 * 1024 * 1024),
    backoffInitialMs: z.number().int().min(10).default(500),
    backoffMaxMs: z.number().int().min(100).default(60_000),
    idlePollMs: z.number().int().min(10).default(1000),
    /** Batches sent before the first is answered (pipelining); 1 sends one at a time. */
    inFlight: z.number().int().min(1).max(8).default(3),
  }).strict().prefault({}),
  heartbeat: z.object({
    intervalSeconds: z.number().int().min(1).max(3600).default(60),
  }).strict().prefault({}),
  /** The local status endpoint: GET /status (JSON) and /metrics (Prometheus). Loopback by default. */
  status: z.object({
    address: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(9465),
  }).strict().prefault({}),
  receivers: z.object({
    snmp: snmpReceiverConfigSchema.optional(),
    smtp: smtpReceiverConfigSchema.optional(),
    syslog: syslogReceiverConfigSchema.optional(),
  }).strict().prefault({}),
}).strict().superRefine((c, ctx) => {
  if (!c.collector.token && !c.collector.tokenFile && !process.env.XPEARS_AGENT_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['collector', 'token'], message: 'no token: set collector.tokenFile, collector.token or XPEARS_AGENT_TOKEN' });
  }
  if (!c.receivers.snmp && !c.receivers.smtp && !c.receivers.syslog) {
    ctx.addIssue({ code: 'custom', path: ['receivers'], message: 'enable at least one receiver (snmp, smtp or syslog)' });
  }
});
export type AgentConfig = z.infer<typeof agentConfigSchema>;
