// The language of an ESET PROTECT notification: Spanish when the console's own words are more Spanish than English.
// Words are counted whole: a host "pc-equipo01" or a path "C:\\Users\\Muñoz" says nothing about the language. Pure.
import { AsciiWordTable } from '../common/word-table.js';

/** The Spanish words counted, every spelling written out (case does not matter). */
export const SPANISH_WORDS: readonly string[] = [
  'el', 'la', 'los', 'las', 'del', 'de', 'en', 'y', 'ha', 'ahora', 'tiene', 'equipo', 'equipos', 'detección',
  'deteccion', 'acción', 'accion', 'eventos', 'grupo', 'licencia', 'usuario', 'módulo', 'modulo', 'módulos', 'modulos',
  'tipo', 'nombre', 'hora', 'realizada', 'registrado', 'esta', 'está', 'estan', 'están', 'que', 'para', 'mas', 'más',
];

/** The English words counted; no word is in both lists. */
export const ENGLISH_WORDS: readonly string[] = [
  'the', 'of', 'in', 'and', 'has', 'have', 'now', 'to', 'your', 'computer', 'computers', 'detection', 'action',
  'events', 'group', 'license', 'licence', 'user', 'module', 'modules', 'type', 'name', 'time', 'performed', 'logged',
  'is', 'are', 'will', 'with',
];

/** Spanish when more of the words in the first 4 KB are Spanish than English; the language decides `format`. */
export function isSpanish(text: string): boolean {
  const sample = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
  // A word is a maximal run of letters, digits and . _ / \ - (code points, as a Unicode pattern reads them); only a
  // run of letters as long as a listed word can be one. Scanned here rather than by a look-behind pattern, which
  // ran its look-behind at every position and was slow on two-byte text (one en-dash in a footer makes it so).
  // A run of ASCII letters is hashed as it is read, so most words are looked up without being cut out.
  let balance = 0;
  let runStart = -1;
  let lettersOnly = true;
  let asciiOnly = true;
  let hash = 0;
  for (let i = 0; i < sample.length; i += 1) {
    const code = sample.charCodeAt(i);
    let kind: number;
    if (code < 0x80) {
      kind = ASCII_KIND[code]!;
      if (kind === LETTER) {
        if (runStart < 0) runStart = i;
        hash = (Math.imul(hash, HASH_FACTOR) + (code | 0x20)) & SLOT_MASK;
        continue;
      }
    } else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(sample, i + 1)) {
      kind = kindOf(sample.slice(i, i + 2));
      if (kind !== OTHER) {
        // The pair is one code point of the run.
        if (runStart < 0) runStart = i;
        if (kind !== LETTER) lettersOnly = false;
        asciiOnly = false;
        i += 1;
        continue;
      }
    } else {
      kind = bmpKind(code);
      if (kind !== OTHER) asciiOnly = false;
    }
    if (kind !== OTHER) {
      if (runStart < 0) runStart = i;
      if (kind !== LETTER) lettersOnly = false;
      continue;
    }
    if (runStart >= 0) {
      balance += runScore(sample, runStart, i, lettersOnly, asciiOnly, hash);
      runStart = -1;
      lettersOnly = true;
      asciiOnly = true;
      hash = 0;
    }
  }
  if (runStart >= 0) balance += runScore(sample, runStart, sample.length, lettersOnly, asciiOnly, hash);
  return balance > 0;
}

// +1 when the run text[start, end) is a Spanish word, -1 when an English one, 0 for any other.
function runScore(text: string, start: number, end: number, lettersOnly: boolean, asciiOnly: boolean, hash: number): number {
  if (!lettersOnly || end - start > LONGEST) return 0;
  return asciiOnly ? asciiWordScore(text, start, end, hash) : wordScore(text.slice(start, end));
}

const SAMPLE = 4096;

function isLowSurrogate(text: string, at: number): boolean {
  const code = at < text.length ? text.charCodeAt(at) : 0;
  return code >= 0xdc00 && code <= 0xdfff;
}

// +1 for a Spanish word, -1 for an English one, 0 for any other. ASCII letters fold to ASCII letters only, and only
// ASCII ones do: the run compares with a listed word by its lower-case letters.
function asciiWordScore(text: string, start: number, end: number, hash: number): number {
  const at = ASCII_WORDS.indexOf(text, start, end, hash);
  return at < 0 ? 0 : ASCII_SCORES[at]!;
}

// The same for a word with other letters (accents, or the rest of Unicode's case folding): the pattern compares as
// the old scan did.
function wordScore(word: string): number {
  const m = ANY_WORD.exec(word);
  return m === null ? 0 : m[1] !== undefined ? 1 : -1;
}

const OTHER = 0;
const LETTER = 1;
const DIGIT_OR_MARK = 2;

// The word characters as the case-insensitive Unicode pattern this scan replaced knew them (under case folding a
// few marks count as letters, e.g. U+0345, which folds to a Greek iota).
const WORD_LETTER = /^\p{L}$/iu;
const WORD_OTHER = /^[\d._/\\-]$/iu;

// One code point's kind: a letter, a digit or one of . _ / \ -, or anything else (a lone surrogate included).
function kindOf(ch: string): number {
  if (WORD_LETTER.test(ch)) return LETTER;
  return WORD_OTHER.test(ch) ? DIGIT_OR_MARK : OTHER;
}

const ASCII_KIND = Uint8Array.from({ length: 0x80 }, (_, code) => kindOf(String.fromCharCode(code)));

// The kind of each BMP code unit past ASCII, learnt once per code: 0 not yet known, else kind + 1.
const BMP_KIND = new Uint8Array(0x10000);

function bmpKind(code: number): number {
  const known = BMP_KIND[code]!;
  if (known !== 0) return known - 1;
  const kind = kindOf(String.fromCharCode(code));
  BMP_KIND[code] = kind + 1;
  return kind;
}

// The listed words of ASCII letters, found without cutting them out, and their scores.
const ASCII_LISTED = [...SPANISH_WORDS, ...ENGLISH_WORDS].filter((w) => /^[a-z]+$/.test(w));
const ASCII_WORDS = new AsciiWordTable(ASCII_LISTED);
// AsciiWordTable.next, written out in the scan's loop.
const HASH_FACTOR = ASCII_WORDS.factor;
const SLOT_MASK = ASCII_WORDS.slotMask;
const ASCII_SCORES: readonly number[] = ASCII_LISTED.map((w) => (SPANISH_WORDS.includes(w) ? 1 : -1));
const LONGEST = Math.max(...SPANISH_WORDS.map((w) => w.length), ...ENGLISH_WORDS.map((w) => w.length));
const ANY_WORD = new RegExp(`^(?:(${SPANISH_WORDS.join('|')})|(?:${ENGLISH_WORDS.join('|')}))$`, 'iu');
