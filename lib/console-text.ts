// Text that came from a capture (a computer or threat name, a console's summary) is data, never the provider's voice:
// before a person reads it, it becomes one bounded line without control or invisible formatting characters, quoted
// as what the console reported. The stored capture is never changed; only what is shown is.

/** The languages a quotation is written in. */
export type QuoteLanguage = 'es' | 'en';

/** The default cap, in characters, of a name (a computer, a threat, a user). */
export const NAME_MAX = 200;

/** The default cap of a longer field (a console's summary, a file path). */
export const DETAIL_MAX = 300;

// Invisible formatting: bidi embeddings, overrides and isolates (U+202A–E, U+2066–9), marks (U+200E/F, U+061C),
// zero-width characters and joiners (U+200B–D, U+2060–4), the BOM (U+FEFF), soft hyphen, tags (U+E0000…): all of
// Unicode's Cf; plus the invisible "filler" letters (U+115F, U+1160, U+3164, U+FFA0) and the combining grapheme joiner.
const INVISIBLE = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0]/gu;
// A lone surrogate would reach a mail or a PDF as U+FFFD or break the encoder.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// C0, DEL, C1 and every kind of line break or space (U+2028/9, NBSP, tabs): a run of them is one space.
// eslint-disable-next-line no-control-regex
const BREAKS = /[\s\x00-\x1f\x7f-\x9f]+/g;
// The quotation marks a value is framed with: inside the value they become single ones, so it cannot close its quote.
const QUOTES: Record<string, string> = { '«': '‹', '»': '›', '“': '‘', '”': '’', '„': '‚' };

/** One line: invisible formatting removed, controls and line breaks as one space, at most `max` characters ("…"). */
export function consoleText(value: string | null | undefined, max = NAME_MAX): string {
  if (value === null || value === undefined || value === '') return '';
  // Only a bounded head is ever looked at: a 100 KB field costs no more than a short one.
  const head = value.length > max * 8 + 64 ? value.slice(0, max * 8 + 64) : value;
  const flat = flatLine(head).replace(/[«»“”„]/g, (q) => QUOTES[q] ?? q);
  return cap(flat, max, head.length < value.length);
}

/** One line without controls or invisible formatting, neither capped nor quoted: for a mail subject, say. */
export function flatLine(text: string): string {
  return text.replace(INVISIBLE, '').replace(LONE_SURROGATE, '').replace(BREAKS, ' ').trim();
}

// eslint-disable-next-line no-control-regex
const BODY_UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Text of many lines without controls (but newline and tab), invisible formatting or lone surrogates. */
export function withoutControls(text: string): string {
  return text.replace(INVISIBLE, '').replace(LONE_SURROGATE, '').replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(BODY_UNSAFE, ' ');
}

// At most `max` code points (a surrogate pair is never split); the last one an ellipsis when anything was cut.
function cap(text: string, max: number, cut: boolean): string {
  if (text.length <= max && !cut) return text;
  const points = Array.from(text.length > max * 2 + 2 ? text.slice(0, max * 2 + 2) : text);
  if (points.length <= max && !cut) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
}

/** consoleText, or undefined when nothing readable is left (so a template's if-block leaves the line out). */
export function consoleField(value: string | null | undefined, max = NAME_MAX): string | undefined {
  const text = consoleText(value, max);
  return text === '' ? undefined : text;
}

/** The value framed as a quotation of the console: «PC-01» (es), “PC-01” (en). */
export function quoteConsole(value: string | null | undefined, language: QuoteLanguage, max = NAME_MAX): string {
  const text = consoleText(value, max);
  return language === 'es' ? `«${text}»` : `“${text}”`;
}

/** A sentence that says whose words they are: «la consola informó: «…»» / "the console reported: “…”". */
export function consoleReported(value: string | null | undefined, language: QuoteLanguage, max = DETAIL_MAX): string {
  return `${language === 'es' ? 'la consola informó' : 'the console reported'}: ${quoteConsole(value, language, max)}`;
}

// Everything a terminal could act on or hide: C0 but tab and newline, DEL, C1, line separators, invisible formatting.
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\p{Cf}]|[\ud800-\udfff]/gu;

// "\r" or "\u202e" (a pair of them beyond the BMP): visible on a terminal, and a valid escape inside a JSON string.
function escapeOne(c: string): string {
  if (c === '\r') return '\\r';
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** Text for a terminal: every control or invisible formatting character but tab and newline as a visible escape
 *  (JSON-compatible, so JSON text stays valid JSON). */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_UNSAFE, escapeOne);
}

/** One table cell for a terminal: terminalSafe, with tabs and newlines as visible escapes too. */
export function terminalCell(text: string): string {
  return terminalSafe(text).replace(/[\t\n]/g, (c) => (c === '\t' ? '\\t' : '\\n'));
}
