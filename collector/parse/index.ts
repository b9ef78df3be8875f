// The parsing front door: envelope → input → vendor → events. Whatever arrives yields at least one event; a parser
// that fails or claims nothing leaves an `unclassified` event with the raw text kept by the caller. Pure.
import type { Envelope } from '../../protocol/envelope.js';
import type { ParsedEvent, Vendor } from '../../protocol/event.js';
import { usableAddress } from './common/address.js';
import { vendorOf } from './detect.js';
import { parseEset } from './eset/index.js';
import { toParserInput } from './input.js';
import { parseSymantec } from './symantec/index.js';
import type { ParserInput, VendorHint, VendorParser } from './types.js';
import { unclassifiedEvent } from './unclassified.js';

export { rawText, toParserInput } from './input.js';
export { detectVendor, vendorOf } from './detect.js';
export { parseSyslogHeader } from './syslog-header.js';
export { htmlToText } from './html-text.js';

type KnownVendor = Exclude<Vendor, 'unknown'>;

/** The vendor parsers, tried in this order when content names no vendor. */
export const VENDOR_PARSERS: Readonly<Record<KnownVendor, VendorParser>> = {
  eset: parseEset,
  symantec: parseSymantec,
};

/** Parses one captured envelope into its events (never empty, never throws). */
export function parseEnvelope(envelope: Envelope, hint?: VendorHint): ParsedEvent[] {
  let input: ParserInput;
  try {
    input = toParserInput(envelope);
  } catch (error) {
    // toParserInput is total on a valid envelope; this guards against one that skipped validation.
    input = { channel: channelOf(envelope), text: '', capturedAt: envelope.capturedAt };
    return [unclassifiedEvent(input, { vendor: 'unknown', reason: `input could not be read: ${describe(error)}` })];
  }
  return parseInput(input, hint);
}

/** Parses an already reduced input; what parseEnvelope does after toParserInput. `parsers` is for tests. */
export function parseInput(
  input: ParserInput,
  hint?: VendorHint,
  parsers: Readonly<Record<KnownVendor, VendorParser>> = VENDOR_PARSERS,
): ParsedEvent[] {
  const byContent = vendorOf(input);
  const order = parserOrder(byContent, hint);
  const failures: string[] = [];
  for (const vendor of order) {
    try {
      const events = parsers[vendor](input);
      if (events && events.length > 0) return events.map((event) => withOneLineSummary(withUsableAddress(event)));
    } catch (error) {
      failures.push(`${vendor} parser failed: ${describe(error)}`);
    }
  }
  const reason = failures.length > 0 ? failures.join('; ') : 'no parser recognized the content';
  return [unclassifiedEvent(input, { vendor: byContent === 'unknown' ? (hint ?? 'unknown') : byContent, reason })];
}

// Content decides alone when it names a vendor; otherwise the hint's parser goes first, then the others.
function parserOrder(detected: Vendor, hint: VendorHint): KnownVendor[] {
  const all = Object.keys(VENDOR_PARSERS) as KnownVendor[];
  if (detected !== 'unknown') return [detected];
  const first = hint !== undefined ? [hint] : [];
  return [...first, ...all.filter((vendor) => vendor !== hint)];
}

// Already one short line: no whitespace but single inner spaces (\s and trim() know the same characters).
const NOT_ONE_LINE = /\s\s|[^\S ]|^ | $/;

// The summary is the line a person reads first in lists and subjects: one line, of a length a list can show.
function withOneLineSummary(event: ParsedEvent): ParsedEvent {
  if (event.summary.length <= 300 && !NOT_ONE_LINE.test(event.summary)) return event;
  const flat = event.summary.replace(/\s+/g, ' ').trim();
  const summary = flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
  return summary === event.summary ? event : { ...event, summary };
}

// Every parser's events keep only a real computer address: never 0.0.0.0, :: or an anonymised placeholder.
function withUsableAddress(event: ParsedEvent): ParsedEvent {
  const ip = event.computer?.ip;
  if (ip === undefined) return event;
  const usable = usableAddress(ip);
  if (usable === ip) return event;
  const computer = { ...event.computer };
  if (usable === undefined) delete computer.ip;
  else computer.ip = usable;
  const cleaned: ParsedEvent = { ...event, computer };
  if (Object.keys(computer).length === 0) delete cleaned.computer;
  return cleaned;
}

function channelOf(envelope: Envelope): ParserInput['channel'] {
  if (envelope.transport === 'smtp') return 'email';
  return envelope.transport;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 200 ? `${message.slice(0, 199)}…` : message;
}
