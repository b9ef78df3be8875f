// SEPM external logging writes one record per line as comma-separated fields. Most are `Label: value`, some are
// positional with no label (the risk file path, `Inbound`, `TCP`, the scan description), and a field holding a
// comma is double-quoted, either whole (`"Intrusion URL: a,b"`) or only its value (`Application version: "11, 0"`).
import { collapseBlanks } from '../common/labels.js';

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

// parseField(text.slice(from, to)): the blanks trim() removes are skipped by position, and only the label and the
// value are cut out of the record (not the field, then its trimmed copy, then the label and value from that).
function fieldAt(text: string, from: number, to: number, index: number): SepmField {
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

// Labels repeat endlessly (a few hundred spellings), and normalizing is the parser's hottest step: remember them,
// with the first string seen of each spelling, which records then share (see SepmFields).
const KEYS = new Map<string, LabelEntry>();

interface LabelEntry {
  key: string;
  label: string;
}

/** Lower case without accents or extra blanks: how labels are compared, so `Número` matches `numero`. */
export function labelKey(label: string): string {
  return labelEntry(label).key;
}

function labelEntry(label: string): LabelEntry {
  // Long texts (e-mail bodies) are never kept: hashing one for the lookup would only cost a pass over it.
  const known = label.length <= 64 ? KEYS.get(label) : undefined;
  if (known !== undefined) return known;
  // ASCII text, line breaks included (e-mail bodies), has no accents to remove: its NFD form is itself.
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(label) ? label : label.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const entry = { key: collapseBlanks(ascii.toLowerCase()).trim(), label };
  // Only short texts are labels worth keeping; the cache stays bounded whatever arrives.
  if (label.length <= 64 && KEYS.size < 4096) KEYS.set(label, entry);
  return entry;
}

/** A field's label spellings, folded by labelKey once: for spelling lists that are module constants. */
export interface Spellings {
  readonly keys: readonly string[];
}

/** Folds the spellings of a constant list once, so that reading them on every record skips labelKey. */
export function spellings(labels: readonly string[]): Spellings {
  return { keys: labels.map(labelKey) };
}

/** A record's labelled fields, read by any of a label's spellings; remembers what was read, for `extra`. */
export class SepmFields {
  // The first field of each label (by labelKey), in record order, and whether a reader asked for it: flags by index
  // rather than a set of keys, since every read would otherwise hash its key once more.
  private readonly indexOfKey = new Map<string, number>();
  private readonly firsts: SepmField[] = [];
  private readonly wasRead: boolean[] = [];
  readonly positional: SepmField[];
  readonly all: SepmField[];

  constructor(fields: SepmField[]) {
    this.all = fields;
    this.positional = [];
    for (const field of fields) {
      if (field.label === undefined) {
        this.positional.push(field);
        continue;
      }
      const entry = labelEntry(field.label);
      // The same text, as the string every record shares: the label becomes a key of `extra` (unread), and a key
      // string V8 has seen as one before is found without hashing it again.
      field.label = entry.label;
      const key = entry.key;
      // The first occurrence wins: later duplicates are agentinfo repeats (IP Address 1…4 and the like).
      if (this.indexOfKey.has(key)) continue;
      this.indexOfKey.set(key, this.firsts.length);
      this.firsts.push(field);
      this.wasRead.push(false);
    }
  }

  /** Builds the fields of one record line. */
  static of(record: string): SepmFields {
    if (record.includes('"')) return new SepmFields(parseRecord(record));
    // Without quotes the fields lie between commas: read in place, as parseRecord would read record.split(',').
    const fields: SepmField[] = [];
    let start = 0;
    for (;;) {
      const comma = record.indexOf(',', start);
      fields.push(fieldAt(record, start, comma < 0 ? record.length : comma, fields.length));
      if (comma < 0) break;
      start = comma + 1;
    }
    return new SepmFields(fields);
  }

  /** The first non-empty value among the given spellings (old and 14.3 RU1+ labels, English and Spanish). */
  get(...labels: string[]): string | undefined {
    let found: string | undefined;
    for (const label of labels) found = this.take(labelKey(label), found);
    return found;
  }

  /** `get` for spellings folded beforehand. */
  getAny(spelled: Spellings): string | undefined {
    let found: string | undefined;
    for (const key of spelled.keys) found = this.take(key, found);
    return found;
  }

  // Marks the field of a key as read; the value found so far, else this field's value when it is not empty.
  private take(key: string, found: string | undefined): string | undefined {
    const at = this.indexOfKey.get(key);
    if (at === undefined) return found;
    this.wasRead[at] = true;
    const value = this.firsts[at]!.value;
    return found === undefined && value !== '' ? value : found;
  }

  /** True when any of the spellings is present, even with an empty value. */
  has(...labels: string[]): boolean {
    for (const label of labels) if (this.indexOfKey.has(labelKey(label))) return true;
    return false;
  }

  /** `has` for spellings folded beforehand. */
  hasAny(spelled: Spellings): boolean {
    for (const key of spelled.keys) if (this.indexOfKey.has(key)) return true;
    return false;
  }

  /** A count field as a number, when it is one. */
  count(...labels: string[]): number | undefined {
    return countOf(this.get(...labels));
  }

  /** `count` for spellings folded beforehand. */
  countAny(spelled: Spellings): number | undefined {
    return countOf(this.getAny(spelled));
  }

  /** Marks labels as understood without reading them (noise the event model has no place for). */
  ignore(...labels: string[]): void {
    for (const label of labels) {
      const at = this.indexOfKey.get(labelKey(label));
      if (at !== undefined) this.wasRead[at] = true;
    }
  }

  /** The non-empty labelled values nobody read: kept in the event for a later parser. */
  unread(): Record<string, string> | undefined {
    const extra: Record<string, string> = {};
    let any = false;
    for (let at = 0; at < this.firsts.length; at += 1) {
      const field = this.firsts[at]!;
      if (this.wasRead[at] || field.value === '' || field.label === undefined) continue;
      extra[field.label] = field.value;
      any = true;
    }
    return any ? extra : undefined;
  }
}

// A count field's value as a number, when it is one.
function countOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Thousands separators and blanks go; most counts have none, and then the global replace is skipped.
  const n = Number.parseInt(/[.,\s]/.test(value) ? value.replace(/[.,\s]/g, '') : value, 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
