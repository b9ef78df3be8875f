// Turns the bytes of one framed syslog message into the line the agent forwards. The agent does not parse vendors:
// it only strips the UTF-8 BOM, decodes UTF-8 (replacing what is invalid) and refuses what is not syslog at all
// (no <PRI> in front), so that a flood of garbage never becomes envelopes.

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
  if (!hasPri(line)) return { kind: 'garbage', sample: sampleOf(line) };
  return { kind: 'message', line, invalidUtf8, bomStripped: bom >= 0 };
}

/** A short, printable excerpt of a refused message for the log. */
export function sampleOf(text: string): string {
  return JSON.stringify(text.slice(0, 64)).slice(1, -1);
}
