// ESET PROTECT (formerly ESMC / ERA): every way its server talks, recognized by content. The syslog export arrives
// as JSON, CEF or LEEF; notifications as text (syslog, SNMP trap varbind, HTML e-mail). Pure.
import type { ParsedEvent } from '../../../protocol/event.js';
import { stripBom } from '../syslog-header.js';
import type { ParserInput } from '../types.js';
import { parseEsetCef, parseEsetLeef } from './cef-leef.js';
import { looksLikeEsetJson, parseEsetJson } from './json.js';
import { parseEsetNotification } from './notification.js';

export { parseEsetJson } from './json.js';
export { parseEsetCef, parseEsetLeef } from './cef-leef.js';
export { parseEsetNotification } from './notification.js';

/** The keep-alive ESET's server sends every 1–3 minutes on persistent syslog connections. */
export function heartbeatEvent(input: ParserInput): ParsedEvent {
  const event: ParsedEvent = {
    vendor: 'eset',
    product: 'ESET PROTECT',
    eventType: 'server-health',
    severity: 'info',
    occurredAt: input.syslog?.timestamp ?? input.capturedAt,
    summary: `ESET PROTECT syslog heartbeat${input.syslog?.hostname ? ` from ${input.syslog.hostname}` : ''}`,
    format: 'eset/heartbeat',
    extra: { heartbeat: 'true' },
  };
  if (input.syslog?.hostname) event.computer = { name: input.syslog.hostname };
  return event;
}

/** Parses an ESET capture; null when the input is not ESET's. */
export function parseEset(input: ParserInput): ParsedEvent[] | null {
  const text = stripBom(input.text).trim();
  const fallbackTime = input.syslog?.timestamp ?? input.capturedAt;
  if (/^HEARTBEAT$/i.test(text)) return [heartbeatEvent(input)];
  if (looksLikeEsetJson(text)) {
    const events = parseEsetJson(text, fallbackTime);
    if (events) return events;
  }
  // includes() first: the patterns need the literal, and most texts are neither CEF nor LEEF.
  if (text.includes('CEF:') && /(^|\s)CEF:\d+\|/.test(text)) {
    const events = parseEsetCef(text, fallbackTime);
    if (events) return events;
  }
  if (text.includes('LEEF:') && /(^|\s)LEEF:[\d.]+\|/.test(text)) {
    const events = parseEsetLeef(text, fallbackTime);
    if (events) return events;
  }
  // An SNMP trap may carry the export's JSON in one varbind among others; each text varbind is tried alone.
  if (input.snmp) {
    for (const varbind of input.snmp.varbinds) {
      const value = stripBom(varbind.value).trim();
      if (value !== text && looksLikeEsetJson(value)) {
        const events = parseEsetJson(value, fallbackTime);
        if (events) return events;
      }
    }
  }
  return parseEsetNotification({ ...input, text });
}
