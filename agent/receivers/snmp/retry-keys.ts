// What identifies an SNMP message beyond its bytes: the USM stamp the timeliness check reads, and the key under
// which an inform's retry is recognised. Pure: no socket, no clock.
import { createHash } from 'node:crypto';
import type { RawMessage } from 'net-snmp';
import type { RemoteInfo } from 'node:dgram';
import type { UsmStamp } from './usm-time.js';

const hex = (b: Buffer | string | undefined): string => (Buffer.isBuffer(b) ? b.toString('hex') : Buffer.from(b ?? '', 'binary').toString('hex'));

/** The timeliness stamp of an authenticated SNMPv3 message; null for v1, v2c and unauthenticated v3. */
export function usmStampOf(message: RawMessage, ourEngineId: string, isInform: boolean): UsmStamp | null {
  const sp = message.msgSecurityParameters;
  if (message.version !== 3 || !sp || !message.hasAuthentication()) return null;
  const engineId = hex(sp.msgAuthoritativeEngineID);
  return {
    engineId,
    boots: sp.msgAuthoritativeEngineBoots,
    time: sp.msgAuthoritativeEngineTime,
    digest: hex(sp.msgAuthenticationParameters),
    // A trap's authoritative engine is its sender, even when the sender was configured with our engine ID.
    toUs: isInform && engineId === ourEngineId,
  };
}

/**
 * The key of an inform's retry: its source address and port, the sender's engine ID (v3: the context engine, else the
 * authoritative one; v1/v2c: none), the user, the request id, and a digest of the varbinds. A sender's own retry
 * repeats all of them; a new inform that happens to reuse a request id differs in its varbinds (sysUpTime at least).
 */
export function informRetryKey(message: RawMessage, rinfo: RemoteInfo): string {
  const pdu = message.pdu;
  const engine = hex(pdu.contextEngineID ?? message.msgSecurityParameters?.msgAuthoritativeEngineID);
  const varbinds = createHash('sha256');
  for (const vb of pdu.varbinds) {
    varbinds.update(`${vb.oid}\u0000${vb.type}\u0000`);
    varbinds.update(Buffer.isBuffer(vb.value) ? vb.value : String(vb.value));
    varbinds.update('\u0000');
  }
  const parts = ['snmp-inform', rinfo.address, rinfo.port, engine, message.user?.name ?? '', pdu.id ?? '', varbinds.digest('hex')];
  return createHash('sha256').update(parts.join('|')).digest('hex');
}
