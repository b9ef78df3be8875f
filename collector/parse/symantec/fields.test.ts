// parseField reads ASCII labels by hand; it must split a field as the LABELLED pattern did, on random fields built
// from label characters, colons, blanks and the characters where a hand-written reader could differ.
import { describe, expect, it } from 'vitest';
import { isBlank, parseField, parseRecord, SepmFields } from './fields.js';
import { joinPieces, seededRandom } from '../../../test/helpers/random.js';

const LABELLED = /^(\p{L}[\p{L}\p{N} ()#/._-]{0,59}?):(?:[ \t]+([\s\S]*)|)$/u;

function parseFieldByPattern(raw: string, index: number): { label: string | undefined; value: string; index: number } {
  const text = raw.trim();
  const m = LABELLED.exec(text);
  if (!m) return { label: undefined, value: text, index };
  return { label: m[1]!.trim(), value: (m[2] ?? '').trim(), index };
}

const PIECES = ['Risk name', 'a', 'Z', '1', ' ', '  ', '\t', ':', ': ', ':\t', '(', ')', '#', '/', '.', '_', '-', ',',
  '[', '=', '\\', 'é', 'Ñ', '٣', '😀', '𝐀', '\u00a0', '\n', 'x'.repeat(55), 'Acción real', '\ud800'];

describe('parseField', () => {
  it('splits label and value as the pattern did', () => {
    const next = seededRandom(5);
    for (let k = 0; k < 50_000; k++) {
      const raw = joinPieces(next, PIECES, 8);
      expect(parseField(raw, k), JSON.stringify(raw)).toStrictEqual(parseFieldByPattern(raw, k));
    }
  });

  it('keeps labels of 60 characters and no longer', () => {
    expect(parseField(`${'a'.repeat(60)}: v`, 0).label).toBe('a'.repeat(60));
    expect(parseField(`${'a'.repeat(61)}: v`, 0).label).toBeUndefined();
  });
});

describe('isBlank', () => {
  it('knows the characters trim() removes', () => {
    for (let code = 0; code <= 0xffff; code++) expect(isBlank(code), code.toString(16)).toBe(String.fromCharCode(code).trim() === '');
  });
});

describe('SepmFields.of', () => {
  it('reads a record as parseRecord does', () => {
    const next = seededRandom(9);
    const pieces = [...PIECES, ',', ', ', ' ,', ',,', '"', 'a: "x, y"'];
    for (let k = 0; k < 20_000; k++) {
      const record = joinPieces(next, pieces, 12);
      expect(SepmFields.of(record).all, JSON.stringify(record)).toStrictEqual(parseRecord(record));
    }
  });
});
