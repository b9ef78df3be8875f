// Bytes and misread strings back to text. Windows tools (PowerShell's Out-File, a batch file that pipes into
// snmptrap.exe, Notepad) write UTF-16 with a byte-order mark; read as UTF-8 or Latin-1 such text turns into
// "ÿþV\0i\0r\0u\0s" or U+FFFD pairs that no parser recognises. The byte-order mark decides first (UTF-8, UTF-16 LE
// or BE, UTF-32 LE or BE), then strict UTF-8, then UTF-16 told by its zero bytes, and Windows-1252 only last. Pure.

const BOM_UTF8 = [0xef, 0xbb, 0xbf];
const BOM_UTF32LE = [0xff, 0xfe, 0x00, 0x00];
const BOM_UTF32BE = [0x00, 0x00, 0xfe, 0xff];
const BOM_UTF16LE = [0xff, 0xfe];
const BOM_UTF16BE = [0xfe, 0xff];

/** The encodings decodeText tells apart. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be' | 'windows-1252';

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** The encoding a byte-order mark at the start names, and the mark's length; undefined without one. */
export function bomOf(bytes: Uint8Array): { encoding: TextEncodingName; length: number } | undefined {
  if (startsWith(bytes, BOM_UTF8)) return { encoding: 'utf-8', length: 3 };
  // UTF-32 LE's mark begins with UTF-16 LE's: the longer one is tested first.
  if (startsWith(bytes, BOM_UTF32LE)) return { encoding: 'utf-32le', length: 4 };
  if (startsWith(bytes, BOM_UTF32BE)) return { encoding: 'utf-32be', length: 4 };
  if (startsWith(bytes, BOM_UTF16LE)) return { encoding: 'utf-16le', length: 2 };
  if (startsWith(bytes, BOM_UTF16BE)) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

// Without a mark, UTF-16 of mostly ASCII text has a zero in every other byte: odd places for LE, even for BE.
function unmarkedUtf16(bytes: Uint8Array): TextEncodingName | undefined {
  const pairs = Math.floor(Math.min(bytes.length, 512) / 2);
  if (pairs < 2) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i += 1) {
    if (bytes[2 * i] === 0) evenZeros += 1;
    if (bytes[2 * i + 1] === 0) oddZeros += 1;
  }
  if (oddZeros >= pairs * 0.6 && evenZeros <= pairs * 0.1) return 'utf-16le';
  if (evenZeros >= pairs * 0.6 && oddZeros <= pairs * 0.1) return 'utf-16be';
  return undefined;
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let out = '';
  for (let at = 0; at + 4 <= bytes.length; at += 4) {
    const code = view.getUint32(at, littleEndian);
    out += code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
  }
  return out;
}

function decodeAs(bytes: Uint8Array, encoding: TextEncodingName): string {
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return decodeUtf32(bytes, encoding === 'utf-32le');
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
}

/** Decodes captured bytes to text, the byte-order mark first; returns the text and the encoding it used. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const bom = bomOf(bytes);
  if (bom !== undefined) return { text: decodeAs(bytes.subarray(bom.length), bom.encoding), encoding: bom.encoding };
  const utf16 = unmarkedUtf16(bytes);
  if (utf16 !== undefined) return { text: decodeAs(bytes, utf16), encoding: utf16 };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decodeAs(bytes, 'windows-1252'), encoding: 'windows-1252' };
  }
}

// Latin-1 misreadings of the marks: "ÿþ" (UTF-16 LE), "þÿ" (UTF-16 BE), "ï»¿" (UTF-8).
const MISREAD_MARKS = /^(?:\u00ff\u00fe|\u00fe\u00ff|\u00ef\u00bb\u00bf)/;
// A UTF-16 mark read as UTF-8 leaves two replacement characters, then text with a NUL in every other place.
const REPLACED_MARK = /^\uFFFD\uFFFD/;

/** Text when bytes that were not valid UTF-8 carry a byte-order mark or the zero bytes of UTF-16; undefined for
 *  anything else, which stays binary (never guessed into Windows-1252 text). */
export function markedTextOf(bytes: Uint8Array): string | undefined {
  if (bomOf(bytes) === undefined && unmarkedUtf16(bytes) === undefined) return undefined;
  return decodeText(bytes).text;
}

/**
 * Repairs text that was decoded with the wrong encoding before it reached us: a Latin-1 reading of bytes with a
 * byte-order mark is turned back into those bytes and decoded properly; a UTF-16 text read as UTF-8 loses what was
 * not ASCII but keeps the rest. Text that shows neither sign is returned as it was, and a real U+FEFF is dropped.
 */
export function repairMisdecodedText(text: string): string {
  if (text.charCodeAt(0) === 0xfeff) return text.slice(1);
  if (MISREAD_MARKS.test(text) && latin1Only(text)) return fromMisreadMark(text);
  if (REPLACED_MARK.test(text) && text.includes('\u0000')) return text.slice(2).split('\u0000').join('');
  if (text.length >= 8 && text.charCodeAt(1) === 0 && text.charCodeAt(3) === 0 && latin1Only(text)) {
    // No mark at all, but a NUL after every character: UTF-16 LE read one byte at a time.
    const repaired = decodeText(Buffer.from(text, 'latin1'));
    if (repaired.encoding === 'utf-16le') return repaired.text;
  }
  return text;
}

// The bytes behind a Latin-1 reading, decoded by their mark. A UTF-8 mark whose text is not UTF-8 (it was read
// right, only its mark was misread) just loses the mark.
function fromMisreadMark(text: string): string {
  const bytes = Buffer.from(text, 'latin1');
  if (bomOf(bytes)?.encoding !== 'utf-8') return decodeText(bytes).text;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3));
  } catch {
    return text.slice(3);
  }
}

function latin1Only(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}
