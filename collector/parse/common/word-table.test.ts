// AsciiWordTable finds a word in any ASCII case, and nothing else: against indexOf on the lower-cased slice.
import { describe, expect, it } from 'vitest';
import { AsciiWordTable } from './word-table.js';
import { joinPieces, seededRandom } from '../../../test/helpers/random.js';

const WORDS = ['br', 'p', 'div', 'h1', 'h6', 'blockquote', 'td', 'th', 'script', 'the', 'of', 'licencia'];

describe('AsciiWordTable', () => {
  it('finds every word in any case, and no other slice', () => {
    const table = new AsciiWordTable(WORDS);
    const pieces = [...WORDS, 'B', 'R', 'X', '1', 'H', 'Td', 'SCRIPT', 'dIv', 'q', 'e'];
    const next = seededRandom(17);
    for (let k = 0; k < 50_000; k++) {
      const word = joinPieces(next, pieces, 3);
      const text = `<${word}>`;
      expect(table.find(text, 1, 1 + word.length), word).toBe(WORDS.indexOf(word.toLowerCase()));
    }
  });

  it('refuses words it cannot fold', () => {
    expect(() => new AsciiWordTable(['Br'])).toThrow();
    expect(() => new AsciiWordTable(['más'])).toThrow();
  });
});
