// A pre-encoded SNMPv2c Trap message (BER) with a fixed-width decimal counter that is patched per packet, so the
// load generator spends its time sending, not encoding.

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(value.length), value]);
}

function integer(tag: number, n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  do { bytes.unshift(v & 0xff); v = Math.floor(v / 256); } while (v > 0);
  if ((bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return tlv(tag, Buffer.from(bytes));
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const sub: number[] = [];
    let v = arc;
    do { sub.unshift(v & 0x7f); v = Math.floor(v / 128); } while (v > 0);
    for (let i = 0; i < sub.length - 1; i++) sub[i]! |= 0x80;
    out.push(...sub);
  }
  return tlv(0x06, Buffer.from(out));
}

const octets = (s: string): Buffer => tlv(0x04, Buffer.from(s, 'utf8'));
const varbind = (name: string, value: Buffer): Buffer => tlv(0x30, Buffer.concat([oid(name), value]));

/** The OID of the varbind that carries the counter. */
export const COUNTER_OID = '1.3.6.1.4.1.99999.1.1';
/** Digits of the counter (zero-padded). */
export const COUNTER_DIGITS = 10;
const MARKER = 'seq=';

/** A v2c trap template and where its counter digits sit. */
export interface TrapTemplate {
  packet: Buffer;
  counterOffset: number;
}

/** Builds a v2c trap with sysUpTime, snmpTrapOID, the counter and a realistic ESET-like text. */
export function buildTrapTemplate(community: string): TrapTemplate {
  const text = 'ESET PROTECT: Threat detected on host WS-0042 (10.1.2.42): Win32/Agent.XYZ trojan, action: cleaned by deleting, user ACME\\jdoe';
  const varbinds = tlv(0x30, Buffer.concat([
    varbind('1.3.6.1.2.1.1.3.0', integer(0x43, 123456)),
    varbind('1.3.6.1.6.3.1.1.4.1.0', oid('1.3.6.1.4.1.99999.0.1')),
    varbind(COUNTER_OID, octets(`${MARKER}${'0'.repeat(COUNTER_DIGITS)}`)),
    varbind('1.3.6.1.4.1.99999.1.2', octets(text)),
  ]));
  const pdu = tlv(0xa7, Buffer.concat([integer(0x02, 4242), integer(0x02, 0), integer(0x02, 0), varbinds]));
  const packet = tlv(0x30, Buffer.concat([integer(0x02, 1), octets(community), pdu]));
  const counterOffset = packet.indexOf(MARKER) + MARKER.length;
  return { packet, counterOffset };
}

/** Writes `n` as fixed-width decimal digits into the packet (in place). */
export function patchCounter(t: TrapTemplate, n: number): void {
  let v = n;
  for (let i = COUNTER_DIGITS - 1; i >= 0; i--) {
    t.packet[t.counterOffset + i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
}

/** The counter value as it appears in a decoded varbind. */
export function counterText(n: number): string {
  return `${MARKER}${String(n).padStart(COUNTER_DIGITS, '0')}`;
}
