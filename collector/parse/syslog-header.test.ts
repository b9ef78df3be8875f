// readBsdTime reads the BSD time by hand; it must read what the BSD_TIME pattern matched, on random line starts
// built from the pieces of a BSD time and the characters that could confuse a hand-written reader.
import { describe, expect, it } from 'vitest';
import { readBsdTime } from './syslog-header.js';
import { pick, seededRandom } from '../../test/helpers/random.js';

const BSD_TIME = /^([A-Za-z]{3}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d{2}):(\d{2}):(\d{2})(?:\.\d+)? /;

function byPattern(text: string): ReturnType<typeof readBsdTime> {
  const m = BSD_TIME.exec(text);
  if (m === null) return null;
  return { month: m[1]!, day: Number(m[2]), year: m[3] ? Number(m[3]) : undefined, hh: Number(m[4]), mm: Number(m[5]), ss: Number(m[6]), length: m[0].length };
}

// A line start that is a BSD time, or nearly one: each part is right most of the time, else slightly wrong.
function nearBsdTime(next: () => number): string {
  const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(next() * 10))).join('');
  // Mostly right, so that a good share of the lines match.
  const right = <T>(good: T, ...bad: T[]): T => (next() < 0.88 ? good : pick(next, bad));
  return [
    right('Nov', 'dec', 'JAN', 'Ja', 'Jün', 'Nove', '1ov'),
    right(' ', '  ', '   ', '\t', ''),
    digits(right(2, 1, 0, 3)),
    right(' ', '', ':'),
    next() < 0.5 ? '' : `${digits(right(4, 3, 5))}${right(' ', '')}`,
    digits(right(2, 1, 3)), right(':', '.'), digits(right(2, 1)), right(':', ' '),
    digits(right(2, 1, 3)),
    pick(next, ['', '', '.', `.${digits(pick(next, [1, 3, 6]))}`]),
    right(' ', '', 'x', '\t'),
    pick(next, ['', 'host app: message']),
  ].join('');
}

describe('readBsdTime', () => {
  it('reads what the pattern matched', () => {
    const next = seededRandom(3);
    let matched = 0;
    for (let k = 0; k < 100_000; k++) {
      const text = nearBsdTime(next);
      const expected = byPattern(text);
      if (expected !== null) matched += 1;
      expect(readBsdTime(text), JSON.stringify(text)).toStrictEqual(expected);
    }
    // Both answers are common, so both were compared.
    expect(matched).toBeGreaterThan(5_000);
    expect(matched).toBeLessThan(95_000);
  });

  it('reads the usual shapes', () => {
    for (const text of ['Nov 20 09:00:00 h app: x', 'Nov  5 09:00:00 h', 'Nov 5 2026 09:00:00.123 h', 'Jan 1 00:00:00 ', 'Nov 20 09:00:00']) {
      expect(readBsdTime(text), text).toStrictEqual(byPattern(text));
    }
  });
});
