// SEPM external logging writes one record per line as comma-separated fields. Most are `Label: value`, some are
// positional with no label (the risk file path, `Inbound`, `TCP`, the scan description), and a field holding a
// comma is double-quoted, either whole (`"Intrusion URL: a,b"`) or only its value (`Application version: "11, 0"`).
// record.ts reads a record into fields; this file is the labelled view parsers read them through (SepmFields), with
// labels compared by labelKey. The record readers are re-exported so callers keep one import.
import { collapseBlanks } from '../common/labels.js';
import { fieldAt, parseRecord } from './record.js';
import type { SepmField } from './record.js';

export { isBlank, parseField, parseRecord, splitRecord } from './record.js';
export type { SepmField } from './record.js';

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
