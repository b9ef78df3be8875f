// Turns the bytes of one framed syslog message into the line the agent forwards. The agent does not parse vendors:
// it only strips a byte-order mark, decodes UTF-8 (replacing what is invalid), or UTF-16 where a UTF-16 mark says so
// (some Windows relays send it), and refuses what is not syslog at all (no <PRI> in front), so that a flood of garbage
// never becomes envelopes.

/** The outcome for one message. */
export type DecodedMessage =
  | { kind: 'empty' }
  | { kind: 'garbage'; sample: string }
  | { kind: 'message'; line: string; invalidUtf8: boolean; bomStripped: boolean };

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** True for a message of nothing but spaces, tabs and line ends. */
function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  return true;
}

/** Finds the BOM to remove: at the very start, or at the start of MSG (after a space), as ESET sends it. */
function bomAt(bytes: Buffer): number {
  if (bytes.subarray(0, 3).equals(BOM)) return 0;
  const at = bytes.indexOf(BOM);
  return at > 0 && bytes[at - 1] === 0x20 ? at : -1;
}

/** True when the message opens with a valid PRI, "<0>" to "<191>" (RFC 3164 and RFC 5424 alike). */
export function hasPri(text: string): boolean {
  const pri = /^<(\d{1,3})>/.exec(text)?.[1];
  return pri !== undefined && Number(pri) <= 191 && (pri.length === 1 || !pri.startsWith('0'));
}

/** Decodes one message; datagram transports also pass trailing CR/LF/NUL, which are framing there. */
export function decodeSyslogMessage(input: Buffer): DecodedMessage {
  let end = input.length;
  while (end > 0 && (input[end - 1] === 0x0a || input[end - 1] === 0x0d || input[end - 1] === 0x00)) end -= 1;
  let bytes = input.subarray(0, end);
  const utf16 = decodeUtf16Marked(bytes);
  if (utf16 !== undefined) return classify(utf16, false, true);
  const bom = bomAt(bytes);
  if (bom >= 0) bytes = Buffer.concat([bytes.subarray(0, bom), bytes.subarray(bom + 3)]);
  if (isBlank(bytes)) return { kind: 'empty' };
  let line: string;
  let invalidUtf8 = false;
  try {
    line = strict.decode(bytes);
  } catch {
    line = lenient.decode(bytes);
    invalidUtf8 = true;
  }
  return classify(line, invalidUtf8, bom >= 0);
}

function classify(line: string, invalidUtf8: boolean, bomStripped: boolean): DecodedMessage {
  if (!hasPri(line)) return { kind: 'garbage', sample: sampleOf(line) };
  return { kind: 'message', line, invalidUtf8, bomStripped };
}

const utf16le = new TextDecoder('utf-16le', { fatal: false, ignoreBOM: true });
const utf16be = new TextDecoder('utf-16be', { fatal: false, ignoreBOM: true });

/**
 * Decodes a message whose text carries a UTF-16 byte-order mark, at the very start or at the start of MSG (an ASCII
 * header, then a space, then the mark); undefined when there is none. Reading UTF-16 as UTF-8 would keep only its
 * ASCII letters and lose every accented one.
 */
export function decodeUtf16Marked(bytes: Buffer): string | undefined {
  const at = utf16MarkAt(bytes);
  if (at < 0) return undefined;
  const littleEndian = bytes[at] === 0xff;
  let body = bytes.subarray(at + 2);
  // The framing trim above may have taken the last character's zero high byte (little-endian text ends "x\0\n\0").
  if (body.length % 2 === 1) body = Buffer.concat([body, Buffer.from([0])]);
  let text = (littleEndian ? utf16le : utf16be).decode(body);
  while (text.endsWith('\n') || text.endsWith('\r') || text.endsWith('\0')) text = text.slice(0, -1);
  return bytes.subarray(0, at).toString('latin1') + text;
}

function utf16MarkAt(bytes: Buffer): number {
  const isMark = (i: number): boolean =>
    (bytes[i] === 0xff && bytes[i + 1] === 0xfe) || (bytes[i] === 0xfe && bytes[i + 1] === 0xff);
  if (bytes.length >= 2 && isMark(0)) return 0;
  for (let i = 1; i + 1 < bytes.length && i < 512; i += 1) {
    if (bytes[i - 1] === 0x20 && isMark(i)) return i;
    if ((bytes[i] ?? 0) >= 0x80) break;
  }
  return -1;
}

/** A short, printable excerpt of a refused message for the log. */
export function sampleOf(text: string): string {
  return JSON.stringify(text.slice(0, 64)).slice(1, -1);
}
