// Settings of the syslog receiver: which listeners (UDP, TCP, TLS) on which ports, who may send, and the limits.
import { z } from 'zod';
import { cidrListSchema } from '../net.js';

const listener = (port: number) =>
  z.object({ host: z.string().min(1).default('127.0.0.1'), port: z.number().int().min(0).max(65_535).default(port) }).strict();

/** The syslog receiver's configuration (strict: unknown keys are errors). Each listener is optional. */
export const syslogReceiverConfigSchema = z
  .object({
    /** RFC 5426: one message per datagram. */
    udp: listener(1514).optional(),
    /** RFC 6587: octet counting or newline framing, detected per message. */
    tcp: listener(1514).optional(),
    /** RFC 5425: TCP inside TLS, same framing as tcp. */
    tls: listener(6514)
      .extend({ certFile: z.string().min(1), keyFile: z.string().min(1) })
      .strict()
      .optional(),
    /** Networks a console may send from; anything else is dropped and counted. */
    allowedNetworks: cidrListSchema.default(['127.0.0.1/32', '::1/128']),
    /** Longest message kept, in bytes (ESET sends at most 8 KB). */
    maxMessageBytes: z.number().int().min(480).max(1_000_000).default(65_536),
    /** What happens to a longer message: cut to maxMessageBytes and kept, or dropped. Either way it is counted. */
    oversize: z.enum(['truncate', 'reject']).default('truncate'),
    /** Concurrent connections per listener (TCP, TLS). When full, the oldest connection that never delivered a
     *  message is closed to make room; when every one has delivered, the newcomer is refused. */
    maxConnections: z.number().int().min(1).max(10_000).default(50),
    /** Concurrent connections per listener from one source address; more are refused. */
    maxConnectionsPerSource: z.number().int().min(1).max(10_000).default(10),
    /** A TCP/TLS connection that delivers no message for this long is closed (empty lines and refused garbage do not
     *  count); ESET sends a heartbeat every 1–3 minutes. */
    idleTimeoutMs: z.number().int().min(1000).max(86_400_000).default(600_000),
    /** A message begun must be complete within this long, or the connection is closed: the minimum data rate
     *  (64 KiB in 30 s is about 2 KiB/s). */
    messageTimeoutMs: z.number().int().min(1000).max(3_600_000).default(30_000),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (!config.udp && !config.tcp && !config.tls) {
      ctx.addIssue({ code: 'custom', path: [], message: 'enable at least one listener: udp, tcp or tls' });
    }
  });

/** The validated syslog receiver configuration. */
export type SyslogReceiverConfig = z.infer<typeof syslogReceiverConfigSchema>;
/** What a person writes: defaults may be left out. */
export type SyslogReceiverConfigInput = z.input<typeof syslogReceiverConfigSchema>;
