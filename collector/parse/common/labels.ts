// Key/value text as notifications write it: one `Label: value` per line, or several known labels flattened onto
// one line (what ESET's syslog notifications do: "Detection type: Trojan Detection name: …"). Pure.

/** `Label: value` pairs, one per line; lines without a label are skipped. Keys keep their spelling. */
export function parseKeyValueLines(text: string, separator = ':'): [string, string][] {
  const pairs: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(separator);
    if (at <= 0) continue;
    const key = line.slice(0, at).trim();
    // A label is short words, not a sentence that happens to contain a colon, nor a URL scheme.
    if (key.length > 60 || !/^[\p{L}\d][\p{L}\d ()/._#-]*$/u.test(key) || key.split(' ').length > 6) continue;
    if (line.slice(at, at + 3) === '://') continue;
    pairs.push([key, line.slice(at + separator.length).trim()]);
  }
  return pairs;
}

/**
 * `text.split(/\r?\n/)`: lines without their CR LF or LF. A text without a CR is split on the plain "\n", which
 * skips the regular expression (a runtime call).
 */
export function splitLines(text: string): string[] {
  return text.includes('\r') ? text.split(/\r?\n/) : text.split('\n');
}

/** Folds a label for comparison: lower case, accents removed, spaces collapsed. */
export function foldLabel(label: string): string {
  // ASCII text has no accents to remove (its NFD form is itself): the Unicode normalization is skipped.
  // eslint-disable-next-line no-control-regex
  const bare = /^[\x00-\x7f]*$/.test(label) ? label : label.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return collapseBlanks(bare.toLowerCase()).trim();
}

// Two blanks in a row, or a blank that is not a space: what replacing /\s+/g by one space would change.
const BLANKS_TO_COLLAPSE = /\s\s|[^\S ]/;

/** True when the only blanks in the text are single spaces: `text.replace(/\s+/g, ' ')` would leave it as it is. */
export function isSingleSpaced(text: string): boolean {
  return !BLANKS_TO_COLLAPSE.test(text);
}

/** `text.replace(/\s+/g, ' ')`; the global replace (a runtime call) only runs when it has something to change. */
export function collapseBlanks(text: string): string {
  return isSingleSpaced(text) ? text : text.replace(/\s+/g, ' ');
}

/**
 * Every match of a global regular expression, from the start, as `[...text.matchAll(pattern)]` gives them. matchAll
 * first copies the pattern, and the copy looks its source up again: for a long alternation (60 labels) that costs
 * more than the matching itself. Empty matches advance one position, as matchAll does.
 */
export function allMatches(text: string, pattern: RegExp): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    matches.push(m);
    if (m[0] === '') pattern.lastIndex = nextIndex(text, pattern.lastIndex, pattern.unicode);
  }
  return matches;
}

// AdvanceStringIndex: one code unit, or one code point for a Unicode pattern.
function nextIndex(text: string, index: number, unicode: boolean): number {
  if (!unicode || index + 1 >= text.length) return index + 1;
  const code = text.charCodeAt(index);
  const after = text.charCodeAt(index + 1);
  return code >= 0xd800 && code <= 0xdbff && after >= 0xdc00 && after <= 0xdfff ? index + 2 : index + 1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Values of known labels in free text, whether each sits on its own line or all share one line. The result maps the
 * label as given in `labels` to its value; a value ends where the next known label starts.
 */
export function extractLabeled(text: string, labels: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  if (labels.length === 0) return found;
  const { pattern, byFolded } = compiled(labels);
  // Positions are taken on a folded copy where each original character maps to exactly one.
  const folded = foldPerCharacter(text);
  const hits: { label: string; start: number; valueStart: number }[] = [];
  for (const m of allMatches(folded, pattern)) {
    const name = m[1] ?? '';
    const labelStart = (m.index ?? 0) + m[0].indexOf(name);
    const original = byFolded.get(collapseBlanks(name));
    if (original === undefined) continue;
    hits.push({ label: original, start: labelStart, valueStart: (m.index ?? 0) + m[0].length });
  }
  hits.forEach((hit, i) => {
    // The first value of a label is the one kept: a later one is not even cut out.
    if (found.has(hit.label)) return;
    found.set(hit.label, valueBetween(text, hit.valueStart, hits[i + 1]?.start ?? text.length));
  });
  return found;
}

// A label's value: from after its colon to the next known label, without leading blanks, on one line (a label on
// its own line ends at the line's end), without trailing blanks and separators. The two replaces run only when
// there is something for them to remove.
function valueBetween(text: string, start: number, end: number): string {
  let value = text.slice(start, end);
  const first = value.charCodeAt(0);
  if (first === 0x20 || first === 0x09) value = value.replace(/^[ \t]+/, '');
  value = firstLineOf(value);
  if (value !== '' && TRAILING_SEPARATOR.test(value[value.length - 1]!)) value = value.replace(/[\s|;]+$/, '');
  return value.trim();
}

const TRAILING_SEPARATOR = /^[\s|;]$/;

// `text.split(/\r?\n/)[0]` without splitting the rest of a long text into lines nobody reads.
function firstLineOf(text: string): string {
  const newline = text.indexOf('\n');
  if (newline < 0) return text;
  return text.slice(0, newline > 0 && text.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline);
}

interface CompiledLabels {
  pattern: RegExp;
  byFolded: Map<string, string>;
}

// Label lists are module constants, so the alternation is built once per list, not once per message.
const COMPILED = new WeakMap<readonly string[], CompiledLabels>();

function compiled(labels: readonly string[]): CompiledLabels {
  const cached = COMPILED.get(labels);
  if (cached) return cached;
  const byFolded = new Map(labels.map((label) => [foldLabel(label), label] as const));
  const sorted = [...byFolded.keys()].sort((a, b) => b.length - a.length);
  const alternatives = sorted.map((label) => escapeRegExp(label).replace(/ /g, '\\s+')).join('|');
  const entry = { pattern: new RegExp(`(?:^|[\\s|;,])(${alternatives})\\s*:`, 'gi'), byFolded };
  COMPILED.set(labels, entry);
  return entry;
}

// Lower-cases and strips accents character by character, so indexes in the result are indexes in the original.
function foldPerCharacter(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  // ASCII runs are lower-cased whole (ASCII case mapping is one character to one); only the other characters are
  // folded one by one.
  let folded = '';
  let from = 0;
  NON_ASCII_RUN.lastIndex = 0;
  for (let m = NON_ASCII_RUN.exec(text); m !== null; m = NON_ASCII_RUN.exec(text)) {
    folded += text.slice(from, m.index).toLowerCase();
    for (const ch of m[0]) folded += foldCharacter(ch);
    from = m.index + m[0].length;
  }
  return folded + text.slice(from).toLowerCase();
}

// eslint-disable-next-line no-control-regex
const NON_ASCII_RUN = /[^\x00-\x7f]+/g;

// One character (code point) without its accents and in lower case, when that keeps its length; else as it is.
// The Latin letters up to U+024F (where accented Spanish, French or German letters are) come from a table made with
// the same function when the module loads: normalizing each again per message was the folding's main cost.
function foldCharacter(ch: string): string {
  if (ch.length === 1) {
    const code = ch.charCodeAt(0);
    if (code >= LATIN_FOLDS_FROM && code < LATIN_FOLDS_TO) return LATIN_FOLDS[code - LATIN_FOLDS_FROM]!;
  }
  return foldCharacterSlowly(ch);
}

function foldCharacterSlowly(ch: string): string {
  const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const one = base.length === ch.length ? base : ch;
  return one.toLowerCase().length === one.length ? one.toLowerCase() : one;
}

const LATIN_FOLDS_FROM = 0x80;
const LATIN_FOLDS_TO = 0x250;
const LATIN_FOLDS: readonly string[] = Array.from({ length: LATIN_FOLDS_TO - LATIN_FOLDS_FROM }, (_, i) =>
  foldCharacterSlowly(String.fromCharCode(LATIN_FOLDS_FROM + i)),
);
