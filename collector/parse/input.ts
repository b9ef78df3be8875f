// Envelope → ParserInput: the one place that knows how each transport carries its text, so vendor parsers read
// the same shape whether a notification came by syslog, e-mail or SNMP trap. Pure.
import type { Envelope, Varbind } from '../../protocol/envelope.js';
import { markedTextOf, repairMisdecodedText } from './common/text-encoding.js';
import { htmlToText } from './html-text.js';
import { parseSyslogHeader } from './syslog-header.js';
import type { ParserInput } from './types.js';

// snmpTrapOID.0 and sysUpTime.0 describe the trap, they are not its message.
const TRAP_META_OIDS = new Set(['1.3.6.1.6.3.1.1.4.1.0', '1.3.6.1.2.1.1.3.0', '1.3.6.1.6.3.18.1.3.0']);

/** True for a varbind whose value is readable text: an OctetString that was valid UTF-8, or one sent as base64
 *  whose bytes carry a byte-order mark or UTF-16's zero bytes (a Windows tool's text). */
export function isTextVarbind(varbind: Varbind): boolean {
  return varbindText(varbind) !== undefined;
}

/** The text of a varbind (see isTextVarbind), decoded and repaired; undefined when it is not text. */
export function varbindText(varbind: Varbind): string | undefined {
  if (TRAP_META_OIDS.has(varbind.oid) || !/^(?:octet ?string|display ?string|string)$/i.test(varbind.type)) return undefined;
  const text = varbind.encoding === 'base64'
    ? markedTextOf(Buffer.from(varbind.value, 'base64'))
    : repairMisdecodedText(varbind.value);
  return text !== undefined && text.trim() !== '' ? text : undefined;
}

/** The text of an SNMP trap: its text-valued varbinds joined by newlines, in the order they came. */
export function snmpText(varbinds: readonly Varbind[]): string {
  const texts: string[] = [];
  for (const varbind of varbinds) {
    const text = varbindText(varbind);
    if (text !== undefined) texts.push(text);
  }
  return texts.join('\n');
}

/** The text of an e-mail: the plain-text body when it says something, else the HTML body converted. */
export function emailText(mail: { text?: string | undefined; html?: string | undefined }): string {
  if (mail.text !== undefined && mail.text.trim() !== '') return mail.text;
  if (mail.html !== undefined) return htmlToText(mail.html);
  return '';
}

/** Reduces an envelope to what vendor parsers read. */
export function toParserInput(envelope: Envelope): ParserInput {
  switch (envelope.transport) {
    case 'syslog': {
      // A whole line in UTF-16 is repaired before its header is read; a message in UTF-16 after an ASCII header, after.
      const { header, message } = parseSyslogHeader(repairMisdecodedText(envelope.syslog.line), envelope.capturedAt);
      return { channel: 'syslog', text: repairMisdecodedText(message), syslog: header, capturedAt: envelope.capturedAt };
    }
    case 'smtp': {
      const mail = envelope.smtp;
      const input: ParserInput = { channel: 'email', text: emailText(mail), capturedAt: envelope.capturedAt };
      if (mail.subject !== undefined) input.subject = mail.subject;
      input.from = mail.from ?? mail.mailFrom;
      if (mail.html !== undefined) input.html = mail.html;
      return input;
    }
    case 'snmp': {
      const trap = envelope.snmp;
      const snmp: NonNullable<ParserInput['snmp']> = { varbinds: trap.varbinds };
      if (trap.trapOid !== undefined) snmp.trapOid = trap.trapOid;
      if (trap.enterprise !== undefined) snmp.enterprise = trap.enterprise;
      return { channel: 'snmp', text: snmpText(trap.varbinds), snmp, capturedAt: envelope.capturedAt };
    }
  }
}

/** The raw text an event keeps: what a person would need to re-read the capture without the envelope. */
export function rawText(envelope: Envelope): string {
  switch (envelope.transport) {
    case 'syslog':
      return envelope.syslog.line;
    case 'smtp': {
      const mail = envelope.smtp;
      const head = [`From: ${mail.from ?? mail.mailFrom}`, `Subject: ${mail.subject ?? ''}`];
      const body = mail.text !== undefined && mail.text.trim() !== '' ? mail.text : (mail.html ?? '');
      return `${head.join('\n')}\n\n${body}`;
    }
    case 'snmp': {
      const trap = envelope.snmp;
      const head = `${trap.pduType} ${trap.version} ${trap.trapOid ?? trap.enterprise ?? ''}`.trim();
      const lines = trap.varbinds.map((v) => `${v.oid} ${v.type} ${v.encoding === 'base64' ? `base64:${v.value}` : v.value}`);
      return [head, ...lines].join('\n');
    }
  }
}
