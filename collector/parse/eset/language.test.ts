// isSpanish scans words by hand; it must count as the look-around pattern it replaced did: on every fixture's text,
// on every fixture cut at random places, and on random strings built from words, separators and the characters
// where a hand-written scan could differ (accents, case-folding letters, a mark that folds to a letter, surrogates).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envelopeSchema } from '../../../protocol/envelope.js';
import { toParserInput } from '../input.js';
import { ENGLISH_WORDS, isSpanish, SPANISH_WORDS } from './language.js';
import { joinPieces, seededRandom } from '../../../test/helpers/random.js';

const SPANISH_PATTERN = 'el|la|los|las|del|de|en|y|ha|ahora|tiene|equipos?|detecci[oó]n|acci[oó]n|eventos|grupo|licencia|usuario|m[oó]dulos?|tipo|nombre|hora|realizada|registrado|est[aá]n?|que|para|m[aá]s';
const ENGLISH_PATTERN = 'the|of|in|and|has|have|now|to|your|computers?|detection|action|events|group|license|licence|user|modules?|type|name|time|performed|logged|is|are|will|with';
const REFERENCE = new RegExp(`(?<![\\p{L}\\d._/\\\\-])(?:(${SPANISH_PATTERN})|(?:${ENGLISH_PATTERN}))(?![\\p{L}\\d._/\\\\-])`, 'giu');

function isSpanishByPattern(text: string): boolean {
  const sample = text.slice(0, 4096);
  let spanish = 0;
  let english = 0;
  for (const m of sample.matchAll(REFERENCE)) {
    if (m[1] !== undefined) spanish += 1;
    else english += 1;
  }
  return spanish > english;
}

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures');

function fixtureTexts(): string[] {
  const texts: string[] = [];
  for (const dir of ['eset', 'symantec']) {
    for (const name of readdirSync(join(FIXTURES, dir)).filter((n) => n.endsWith('.json'))) {
      const fixture = JSON.parse(readFileSync(join(FIXTURES, dir, name), 'utf8')) as { envelope: unknown };
      const input = toParserInput(envelopeSchema.parse(fixture.envelope));
      texts.push(`${input.subject ?? ''}\n${input.text}`);
    }
  }
  return texts;
}

// A small deterministic generator, so a failure can be replayed.
const PIECES = [
  ...SPANISH_WORDS, ...ENGLISH_WORDS, 'DEL', 'Detección', 'DETECCIÓN', 'Módulos', 'ſ', 'K', 'Å', '\u0345', 'é',
  'x', '1', '.', '_', '/', '\\', '-', ' ', '  ', '\n', '\t', ':', ',', '–', '\u00a0', '😀', '𐐀', '\ud800', '\udc00',
  'ñ', 'ı', 'İ', 'equipo01', 'pc-equipo', 'Muñoz', 'registrados', 'the_', 'ﬁ',
];

describe('isSpanish', () => {
  it('reads every fixture as the pattern did', () => {
    for (const text of fixtureTexts()) expect(isSpanish(text), text.slice(0, 80)).toBe(isSpanishByPattern(text));
  });

  it('reads fixtures cut anywhere as the pattern did', () => {
    const next = seededRandom(7);
    for (const text of fixtureTexts()) {
      for (let k = 0; k < 20; k++) {
        const cut = text.slice(Math.floor(next() * text.length), Math.floor(next() * text.length) + 4200);
        expect(isSpanish(cut), cut.slice(0, 80)).toBe(isSpanishByPattern(cut));
      }
    }
  });

  it('reads random words and separators as the pattern did', () => {
    const next = seededRandom(11);
    for (let k = 0; k < 20_000; k++) {
      const text = joinPieces(next, PIECES, 12);
      expect(isSpanish(text), JSON.stringify(text)).toBe(isSpanishByPattern(text));
    }
  });

  it('reads only the first 4 KB', () => {
    const english = 'the detection of the user '.repeat(158);
    expect(isSpanish(`${english}${' el de la'.repeat(100)}`)).toBe(false);
    expect(isSpanish(`${' el de la'.repeat(500)}${english}`)).toBe(true);
  });
});
