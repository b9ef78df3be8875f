// Turns a PDU decoded by net-snmp into the capture we forward: pure, no socket.
import type { RawPdu, RawVarbind } from 'net-snmp';
import type { SnmpCapture, Varbind } from '../../../protocol/envelope.js';

const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';

// ASN.1 / SNMP type tags (RFC 2578), kept local so decoding needs nothing from net-snmp at run time.
const TYPE_NAMES: Record<number, string> = {
  1: 'Boolean', 2: 'Integer', 3: 'BitString', 4: 'OctetString', 5: 'Null', 6: 'OID', 64: 'IpAddress',
  65: 'Counter', 66: 'Gauge', 67: 'TimeTicks', 68: 'Opaque', 70: 'Counter64', 128: 'NoSuchObject',
  129: 'NoSuchInstance', 130: 'EndOfMibView',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Renders one varbind's value as text; OctetStrings that are not UTF-8 travel as base64. */
export function decodeVarbind(vb: RawVarbind): Varbind {
  const type = TYPE_NAMES[vb.type] ?? `type-${vb.type}`;
  const v = vb.value;
  if (Buffer.isBuffer(v)) {
    if (vb.type === 70) return { oid: vb.oid, type, value: v.length <= 8 ? BigInt(`0x${v.toString('hex') || '0'}`).toString() : v.toString('hex') };
    try {
      return { oid: vb.oid, type, value: utf8.decode(v) };
    } catch {
      return { oid: vb.oid, type, value: v.toString('base64'), encoding: 'base64' };
    }
  }
  if (v === null || v === undefined) return { oid: vb.oid, type, value: '' };
  return { oid: vb.oid, type, value: String(v) };
}

/** Builds the capture of a trap or inform. `pduKind` is what arrived; the community is deliberately left out. */
export function snmpCaptureFromPdu(
  pdu: RawPdu,
  version: 'v1' | 'v2c' | 'v3',
  pduKind: SnmpCapture['pduType'],
  user?: string,
): SnmpCapture {
  const varbinds = pdu.varbinds.map(decodeVarbind);
  if (pduKind === 'trap-v1') {
    return {
      version, pduType: pduKind, trapOid: pdu.enterprise, enterprise: pdu.enterprise, genericTrap: pdu.generic,
      specificTrap: pdu.specific, agentAddr: pdu.agentAddr, uptime: pdu.upTime, varbinds,
    };
  }
  const trapOid = varbinds.find((v) => v.oid === SNMP_TRAP_OID)?.value;
  const uptimeText = varbinds.find((v) => v.oid === SYS_UPTIME)?.value;
  const uptime = uptimeText !== undefined && /^\d+$/.test(uptimeText) ? Number(uptimeText) : undefined;
  // The enterprise of a v2 notification is its trap OID minus the last arcs (RFC 3584 §3.2, reversed).
  const enterprise = trapOid?.replace(/\.0\.\d+$/, '').replace(/\.\d+$/, '');
  return { version, pduType: pduKind, ...(user ? { user } : {}), trapOid, enterprise, uptime, varbinds };
}
