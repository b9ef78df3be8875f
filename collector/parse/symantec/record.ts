// One SEPM external-logging record, read into fields: split on commas outside double quotes, then each field read as
// `Label: value` or as a positional value. The label reader is hand-written for ASCII labels (the parser's hot path)
// and falls back to the LABELLED pattern for any other; fields.ts builds the labelled view on top of this.
/** One field of a record: a label and its value, or a positional value (label undefined). */
export interface SepmField {
  /** Present, as undefined, on a positional field too: every field has one shape. */
  label: string | undefined;
  value: string;
  /** 0-based place of the field in the record, positional fields included. */
  index: number;
}

/** Splits a record on commas outside double quotes; `""` inside quotes is a literal quote (CSV style). */
export function splitRecord(record: string): string[] {
  // Most records hold no quote at all: the plain split is the common, fast case.
  if (!record.includes('"')) return record.split(',');
  // The next quote and, outside quotes, the next comma are found with indexOf and the text between taken as slices:
  // building fields character by character made long quoted records (SONAR lines run past 1 KB) slow to read and,
  // as strings of many pieces, slow to trim and match later.
  const fields: string[] = [];
  let current = '';
  let runStart = 0;
  let quoted = false;
  let quote = record.indexOf('"');
  let comma = record.indexOf(',');
  for (;;) {
    if (!quoted && comma >= 0 && (quote < 0 || comma < quote)) {
      fields.push(current + record.slice(runStart, comma));
      current = '';
      runStart = comma + 1;
      comma = record.indexOf(',', runStart);
      continue;
    }
    if (quote < 0) break;
    current += record.slice(runStart, quote);
    if (quoted && record.charCodeAt(quote + 1) === QUOTE) {
      current += '"';
      runStart = quote + 2;
    } else {
      quoted = !quoted;
      runStart = quote + 1;
    }
    quote = record.indexOf('"', runStart);
    // Commas passed inside quotes are text: look for the next one from here.
    if (comma >= 0 && comma < runStart) comma = record.indexOf(',', runStart);
  }
  fields.push(current + record.slice(runStart));
  return fields;
}

const QUOTE = 0x22;

// A label is short text (letters of any language: e-mails are localized) ending in a colon followed by a space or
// the end of the field. The space rule keeps `e:\autorun.inf` and `https://…` positional; the first-character rule
// keeps `[SID: 1] …` positional.
const LABELLED = /^(\p{L}[\p{L}\p{N} ()#/._-]{0,59}?):(?:[ \t]+([\s\S]*)|)$/u;

/** Reads one field: `Label: value` when it has a label, else a positional value. */
export function parseField(raw: string, index: number): SepmField {
  return fieldAt(raw, 0, raw.length, index);
}

/** parseField(text.slice(from, to)), for SepmFields.of reading a record in place. */
// The blanks trim() removes are skipped by position, and only the label and the value are cut out of the record
// (not the field, then its trimmed copy, then the label and value from that).
export function fieldAt(text: string, from: number, to: number, index: number): SepmField {
  let start = from;
  let end = to;
  while (start < end && isBlank(text.charCodeAt(start))) start += 1;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end -= 1;
  const colon = labelColon(text, start, end);
  if (colon < 0) return { label: undefined, value: text.slice(start, end), index };
  // LABELLED's groups without its match array: ':' is not a label character, so the label ends at the first colon;
  // the value is what follows the colon and its blanks, trimmed (the same as the second group, trimmed).
  return { label: trimmedSlice(text, start, colon), value: trimmedSlice(text, colon + 1, end), index };
}

// text.slice(start, end).trim()
function trimmedSlice(text: string, start: number, end: number): string {
  while (start < end && isBlank(text.charCodeAt(start))) start += 1;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(start, end);
}

/** True for the characters String.prototype.trim removes: white space and line terminators. */
export function isBlank(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
    code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

// Where the label of the field text[start, end) ends (its colon), or -1 when LABELLED does not match. A label of
// ASCII characters is read here (nearly every SEPM label; the pattern's test was the reader's main cost), any
// other by the pattern.
function labelColon(text: string, start: number, end: number): number {
  const first = start < end ? text.charCodeAt(start) : -1;
  if (first >= 0x80) return labelColonByPattern(text, start, end);
  if (first < 0 || !isAsciiLetter(first)) return -1;
  // The label is the first character and at most 59 more, all label characters, up to the first colon.
  const last = Math.min(end, start + MAX_LABEL + 1);
  for (let at = start + 1; at < last; at += 1) {
    const code = text.charCodeAt(at);
    if (code === COLON) {
      // Then the end of the field, or a blank.
      const next = at + 1 < end ? text.charCodeAt(at + 1) : -1;
      return next === -1 || next === SPACE || next === TAB ? at : -1;
    }
    if (code >= 0x80) return labelColonByPattern(text, start, end);
    if (LABEL_CHARACTER[code] !== 1) return -1;
  }
  return -1;
}

function labelColonByPattern(text: string, start: number, end: number): number {
  return LABELLED.test(text.slice(start, end)) ? text.indexOf(':', start) : -1;
}

const MAX_LABEL = 60;
const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

// 1 for the ASCII characters LABELLED allows in a label after its first: letters, digits, space ( ) # / . _ -
const LABEL_CHARACTER = Uint8Array.from({ length: 0x80 }, (_, code) => (/[\p{L}\p{N} ()#/._-]/u.test(String.fromCharCode(code)) ? 1 : 0));

/** Parses one record into its fields, trimming blanks; empty positional fields are kept so places stay right. */
export function parseRecord(record: string): SepmField[] {
  return splitRecord(record).map((raw, index) => parseField(raw, index));
}
