// Helpers shared by the network receivers (SMTP, syslog): who may connect, how a peer is named, how a flood is
// logged without flooding the log.
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../../lib/logger.js';
import type { Clock } from '../../lib/clock.js';

/** Parses "10.0.0.0/8", "::1/128" or a bare address into its parts; null when it is not a network. */
export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** A zod schema for a list of allowed source networks (CIDR or bare addresses). */
export const cidrListSchema = z
  .array(z.string().refine((s) => parseCidr(s) !== null, { message: 'not a network: use CIDR like 10.0.0.0/8 or an IP address' }))
  .min(1, 'list at least one network: an empty list would refuse every sender');

/** Strips the IPv4-mapped IPv6 prefix, so "::ffff:10.1.2.3" is matched and reported as "10.1.2.3". */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return '';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** Answers whether a peer address belongs to one of the configured networks. */
export class NetworkMatcher {
  private readonly list = new BlockList();

  constructor(networks: readonly string[]) {
    for (const network of networks) {
      const cidr = parseCidr(network);
      if (!cidr) throw new Error(`not a network: ${network}`);
      this.list.addSubnet(cidr.address, cidr.prefix, cidr.family);
    }
  }

  /** True when the (possibly IPv4-mapped) address is inside an allowed network. */
  allows(address: string | undefined): boolean {
    const peer = normalizeAddress(address);
    const version = isIP(peer);
    if (version === 0) return false;
    return this.list.check(peer, version === 4 ? 'ipv4' : 'ipv6');
  }
}

/** Logs a repeating warning at most `perWindow` times per window, then once with the number suppressed: a flood of
 *  garbage must be visible in the log without becoming the log. */
export class BoundedLog {
  private windowStart = 0;
  private logged = 0;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly perWindow = 5,
    private readonly windowMs = 10_000,
  ) {}

  /** Logs `message` with `fields` unless this window's quota is spent. */
  warn(fields: Record<string, unknown>, message: string): void {
    const now = this.clock().getTime();
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) {
        this.logger.warn({ suppressed: this.suppressed, windowMs: this.windowMs }, 'similar warnings suppressed');
      }
      this.windowStart = now;
      this.logged = 0;
      this.suppressed = 0;
    }
    if (this.logged < this.perWindow) {
      this.logged += 1;
      this.logger.warn(fields, message);
    } else {
      this.suppressed += 1;
    }
  }
}

/** Counts things that went wrong but did not stop a capture (truncated, invalid UTF-8, MIME limits): they are not
 *  rejections, so they are kept apart from ReceiverCounters.rejectedByReason. */
export class WarningCounts {
  readonly byReason: Record<string, number> = {};

  /** Counts one warning under its reason. */
  add(reason: string): void {
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
  }

  /** A copy, so a caller cannot change the counts. */
  snapshot(): Record<string, number> {
    return { ...this.byReason };
  }
}

/** Renders a bound address as "tcp 127.0.0.1:2525" (IPv6 in brackets). */
export function describeListener(protocol: string, address: string, port: number): string {
  return `${protocol} ${address.includes(':') ? `[${address}]` : address}:${port}`;
}
