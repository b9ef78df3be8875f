// What a vendor parser is given and what it returns. Parsers are pure: no socket, clock or logger inside.
import type { ParsedEvent, Vendor } from '../../protocol/event.js';
import type { Varbind } from '../../protocol/envelope.js';

/** The syslog header fields, from RFC 3164 or RFC 5424. */
export interface SyslogHeader {
  format: 'rfc3164' | 'rfc5424' | 'none';
  facility?: number;
  severity?: number;
  /** ISO 8601 UTC when the header carried a parseable time. */
  timestamp?: string;
  hostname?: string;
  appName?: string;
  procId?: string;
  msgId?: string;
  structuredData?: string;
}

/** One capture, reduced to what parsers read. Built from an envelope by collector/parse/input.ts. */
export interface ParserInput {
  channel: 'syslog' | 'email' | 'snmp';
  /** The message text: the syslog MSG (header removed), the e-mail body as text (HTML converted), or the
   *  SNMP varbind values that are text, joined by newlines. */
  text: string;
  /** E-mail only. */
  subject?: string;
  from?: string;
  html?: string;
  /** Syslog only. */
  syslog?: SyslogHeader;
  /** SNMP only. */
  snmp?: { trapOid?: string; enterprise?: string; varbinds: Varbind[] };
  /** ISO 8601 UTC capture time: the fallback for occurredAt. */
  capturedAt: string;
}

/** A vendor parser: returns the events it understood, or null when the input is not its vendor's. */
export type VendorParser = (input: ParserInput) => ParsedEvent[] | null;

/** A configuration hint per agent: the vendor a customer runs, where content alone cannot tell. */
export type VendorHint = Exclude<Vendor, 'unknown'> | undefined;
