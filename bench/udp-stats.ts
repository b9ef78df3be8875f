// Kernel counters of a UDP socket (from /proc/net/udp): queued bytes and datagrams dropped because its buffer was full.
import { readFileSync, writeFileSync } from 'node:fs';

/** The drop counter and queue of the IPv4 UDP socket bound to `port` on any address, or null when none. */
export function udpSocketStats(port: number): { drops: number; rxQueueBytes: number } | null {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13 || !f[1]?.endsWith(`:${hex}`)) continue;
    const rx = f[4]?.split(':')[1] ?? '0';
    return { drops: Number(f[12]), rxQueueBytes: parseInt(rx, 16) };
  }
  return null;
}

/** Tries to raise net.core.rmem_max to `bytes`; says what the limit is afterwards. */
export function raiseRmemMax(bytes: number): string {
  const file = '/proc/sys/net/core/rmem_max';
  let before = 0;
  try { before = Number(readFileSync(file, 'utf8').trim()); } catch { return 'net.core.rmem_max: unreadable'; }
  if (before >= bytes) return `net.core.rmem_max = ${before} (already ≥ ${bytes})`;
  try {
    writeFileSync(file, String(bytes));
    return `net.core.rmem_max raised from ${before} to ${Number(readFileSync(file, 'utf8').trim())}`;
  } catch (err) {
    return `net.core.rmem_max = ${before}: could not raise it (${(err as Error).message}); receive buffers are capped there`;
  }
}
