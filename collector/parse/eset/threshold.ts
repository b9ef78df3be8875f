// Threshold ("outbreak") notifications: "Number of antivirus events in 10 minutes has reached defined value (10
// events)." followed by a table of detections. Over syslog and SNMP the table arrives flattened onto one line; in
// an HTML e-mail its rows become tab-separated lines (html-text.ts). The capture becomes ONE aggregated event with
// its count and computers affected; the rows are kept in `extra` (row1…row20) for the engineer.
import type { EventType, ParsedEvent, Severity } from '../../../protocol/event.js';
import { foldLabel, isSingleSpaced } from '../common/labels.js';
import { parseVendorTime } from '../common/time.js';
import { looksLikeRansomware } from './severity.js';
import { OBJECT_TYPES, THRESHOLD_SENTENCES } from './vocabulary.js';

/** One detection row of a threshold table. */
export interface DetectionRow {
  computer: string;
  time?: string;
  occurredAt?: string;
  detectionType?: string;
  detectionName?: string;
  objectType?: string;
  objectUri?: string;
}

const ROW_TIME =
  /\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?\s?[Mm]\.?)?(?:\s+(?:UTC|GMT)(?:\s?[+\-−]\d{1,2}(?::?\d{2})?)?)?/;
// A row starts with a computer name and a time: `(\S+)\s+(ROW_TIME)`. Searched as is, that pattern tries every position
// inside every word, each attempt reading to the word's end and backing off: quadratic in the word's length (URLs).
// But `\S+` must reach the blank after its word whatever its start, so inside a word only the word's start can begin
// a match; except where the search resumes, since the previous row's time may have ended inside a word.
const ROW_START_HERE = new RegExp(`(\\S+)\\s+(${ROW_TIME.source})`, 'y');
const ROW_START_AT_WORD = new RegExp(`(?<!\\S)(\\S+)\\s+(${ROW_TIME.source})`, 'g');
const MAX_ROWS_IN_EXTRA = 20;

type Column = keyof Omit<DetectionRow, 'occurredAt'>;
const HEADER_COLUMNS: [RegExp, Column][] = [
  [/^(object type|tipo de objeto)$/, 'objectType'],
  [/^(computer|equipo|nombre del equipo|computer name|device|dispositivo)$/, 'computer'],
  [/^(time|hora|fecha|occurred)/, 'time'],
  [/^(detection type|tipo de deteccion|tipo)$/, 'detectionType'],
  [/^(detection name|nombre de (la )?deteccion|deteccion|nombre)$/, 'detectionName'],
  [/^(object|objeto|uri|object uri|uri del objeto|object name|nombre del objeto)$/, 'objectUri'],
];
const DEFAULT_COLUMNS: Column[] = ['computer', 'time', 'detectionType', 'detectionName', 'objectType', 'objectUri'];

// The columns a header row names, or undefined when a cell names none (a data row, which its first cell tells).
function headerColumns(cells: readonly string[]): Column[] | undefined {
  const columns: Column[] = [];
  for (const cell of cells) {
    const folded = foldLabel(cell);
    const column = HEADER_COLUMNS.find(([p]) => p.test(folded))?.[1];
    if (column === undefined) return undefined;
    columns.push(column);
  }
  return columns;
}

/** The rows of a tab-separated table (e-mail); a header row, when present, names the columns. */
export function tableRows(text: string, dayFirst: boolean): DetectionRow[] {
  let columns = DEFAULT_COLUMNS;
  const rows: DetectionRow[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('\t').map((c) => c.trim());
    if (cells.length < 3) continue;
    const header = headerColumns(cells);
    if (header !== undefined) {
      columns = header;
      continue;
    }
    const row: Partial<DetectionRow> = {};
    cells.forEach((cell, i) => {
      const column = columns[i];
      if (column && cell !== '') row[column] = cell;
    });
    const occurredAt = parseVendorTime(row.time, { dayFirst });
    if (row.computer === undefined || occurredAt === undefined) continue;
    // The row as read, its time last (what a copy with occurredAt added would be).
    row.occurredAt = occurredAt;
    rows.push(row as DetectionRow);
  }
  return rows;
}

// The matches of `(\S+)\s+(ROW_TIME)` over the text, as a global search finds them (see ROW_START_HERE).
function rowStarts(text: string): RegExpExecArray[] {
  const starts: RegExpExecArray[] = [];
  for (let from = 0; ; ) {
    ROW_START_HERE.lastIndex = from;
    let m = ROW_START_HERE.exec(text);
    if (m === null) {
      ROW_START_AT_WORD.lastIndex = from;
      m = ROW_START_AT_WORD.exec(text);
    }
    if (m === null) return starts;
    starts.push(m);
    from = m.index + m[0].length;
  }
}

/** The rows of a table flattened onto one line: each row starts with a computer name and a time. */
export function flattenedRows(text: string, dayFirst: boolean): DetectionRow[] {
  const starts = rowStarts(text);
  return starts.map((m, i) => {
    const contentStart = (m.index ?? 0) + m[0].length;
    const next = starts[i + 1];
    const content = text.slice(contentStart, next ? next.index : text.length).trim();
    const row: DetectionRow = { computer: m[1] ?? '', time: m[2] ?? '' };
    const occurredAt = parseVendorTime(m[2], { dayFirst });
    if (occurredAt) row.occurredAt = occurredAt;
    splitRowContent(content, row);
    return row;
  });
}

// "Suspicious application JS/Packed.Agent.N File https://…": type words, one name, an object type, the object.
// Written into the row after its computer and time, in this order: objectType, objectUri, detectionName, detectionType.
function splitRowContent(content: string, part: DetectionRow): void {
  const tokens = words(content);
  if (tokens.length === 0) return;
  let typeAt = -1;
  for (let j = tokens.length - 1; j >= 1; j -= 1) {
    if (OBJECT_TYPES.test(tokens[j] ?? '')) {
      typeAt = j;
      break;
    }
  }
  let nameEnd = tokens.length;
  if (typeAt >= 1) {
    part.objectType = tokens[typeAt];
    const uri = tokens.slice(typeAt + 1).join(' ');
    if (uri) part.objectUri = uri;
    nameEnd = typeAt;
  } else if (tokens.length > 1 && /[/\\:]/.test(tokens[tokens.length - 1] ?? '')) {
    part.objectUri = tokens[tokens.length - 1];
    nameEnd = tokens.length - 1;
  }
  let typeWords = tokens.slice(0, nameEnd - 1).join(' ');
  let name = tokens[nameEnd - 1];
  // ESET prefixes generic detections: "a variant of Win32/Agent.X" is one name.
  const variant = /\s*\b(a variant of|una variante de|variante de)$/i.exec(typeWords);
  if (variant && name) {
    name = `${variant[1]} ${name}`;
    typeWords = typeWords.slice(0, variant.index).trim();
  }
  if (name) part.detectionName = name;
  if (typeWords) part.detectionType = typeWords;
}

// The words of a trimmed text: `split(/\s+/)` without the empty word of an empty text. Single spaces only (the
// usual case) split on the plain string, which skips the regular expression.
function words(trimmed: string): string[] {
  if (trimmed === '') return [];
  return isSingleSpaced(trimmed) ? trimmed.split(' ') : trimmed.split(/\s+/);
}

function mostCommon(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  // The first value seen among those counted most (what a stable sort by count, descending, puts first).
  let top: string | undefined;
  let topCount = 0;
  for (const [value, count] of counts) {
    if (count > topCount) {
      top = value;
      topCount = count;
    }
  }
  return top;
}

/** Parses a threshold notification; null when the text has no threshold sentence. */
export function parseThreshold(text: string, format: string, fallbackTime: string, dayFirst: boolean): ParsedEvent | null {
  const sentence = THRESHOLD_SENTENCES.map((p) => p.exec(text)).find((m) => m !== null);
  if (!sentence) return null;
  const logKind = (sentence[1] ?? 'antivirus').toLowerCase();
  const minutes = Number(sentence[2]);
  const threshold = Number(sentence[3]);
  const tail = text.slice((sentence.index ?? 0) + sentence[0].length);
  const tabular = tableRows(tail, dayFirst);
  const rows = tabular.length > 0 ? tabular : flattenedRows(tail, dayFirst);
  const computers = new Set(rows.map((r) => r.computer));
  const topName = mostCommon(rows.map((r) => r.detectionName));
  const topType = mostCommon(rows.map((r) => r.detectionType));
  const firewall = /firewall|cortafuegos/.test(logKind);
  const hips = /hips/.test(logKind);
  const ransomware = looksLikeRansomware(topName, topType);
  const eventType: EventType = firewall ? 'firewall-attack' : hips ? 'hips' : ransomware ? 'ransomware' : 'outbreak';
  const severity: Severity = firewall || hips ? 'high' : 'critical';
  const count = Math.max(threshold, rows.length);
  const times = rows.map((r) => r.occurredAt).filter((t): t is string => t !== undefined).sort();
  const extra: Record<string, string> = { logKind, windowMinutes: String(minutes), threshold: String(threshold), rows: String(rows.length) };
  const event: ParsedEvent = {
    vendor: 'eset',
    product: 'ESET PROTECT',
    eventType,
    severity,
    occurredAt: times[0] ?? fallbackTime,
    summary: `${eventType === 'outbreak' ? 'Outbreak' : eventType === 'ransomware' ? 'Ransomware outbreak' : 'Threshold'}: ${count} ${logKind} events in ${minutes} minutes${computers.size > 0 ? ` on ${computers.size} computer${computers.size === 1 ? '' : 's'}` : ''}${topName ? ` (${topName})` : ''}`,
    format,
    count,
    extra,
  };
  if (computers.size > 0) event.computersAffected = computers.size;
  const [only] = computers;
  if (computers.size === 1 && only) event.computer = { name: only };
  if (topName || topType) {
    event.threat = {};
    if (topName) event.threat.name = topName;
    if (topType) event.threat.type = topType;
    const object = rows.find((r) => r.detectionName === topName)?.objectUri;
    if (object) event.threat.object = object;
  }
  rows.slice(0, MAX_ROWS_IN_EXTRA).forEach((r, i) => {
    extra[`row${i + 1}`] =
      `${r.computer} | ${r.time ?? r.occurredAt ?? ''} | ${r.detectionType ?? ''} | ${r.detectionName ?? ''} | ${r.objectType ?? ''} | ${r.objectUri ?? ''}`;
  });
  return event;
}
