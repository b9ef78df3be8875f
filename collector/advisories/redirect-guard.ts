// A feed may send the collector elsewhere with a redirect; it must not send it into the provider's own network
// (issue 13): a redirect to a loopback, link-local, private or otherwise internal address is refused unless the
// configuration allows it (`advisories.allowPrivateRedirects`). The configured source URL itself is trusted as
// written, and so is a redirect to the same host name (a feed that lives inside moving a path). Names are resolved
// here and every address they resolve to is checked (the connection resolves again: a name that changes its answer
// between the two looks is not caught; a proxy resolves on its own).
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';

const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is loopback, link-local, private, shared, multicast or reserved (IPv4-mapped included). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return INTERNAL.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true; // not an address: refuse rather than guess
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Resolves a host name to its addresses (replaceable in tests that must not depend on the resolver). */
export type Resolve = (host: string) => Promise<string[]>;
const resolveAll: Resolve = async (host) => (await dnsLookup(host, { all: true })).map((a) => a.address);

/** What a redirect is judged against: the setting, and the host name of the source as configured. */
export interface RedirectPolicy {
  allowPrivate: boolean;
  sourceHost: string;
}

/** Why a redirect to `target` is refused, or null when it may be followed. */
export async function redirectRefusal(target: string, policy: RedirectPolicy, resolve: Resolve = resolveAll): Promise<string | null> {
  const url = new URL(target);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `a redirect to ${url.protocol} is not followed`;
  if (policy.allowPrivate || url.hostname.toLowerCase() === policy.sourceHost.toLowerCase()) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolve(host);
  const internal = addresses.find(isInternalAddress);
  return internal === undefined ? null
    : `a redirect to ${url.host} (${internal}), an internal address, is not followed (advisories.allowPrivateRedirects)`;
}
