import { describe, expect, it } from 'vitest';
import { consoleField, consoleReported, consoleText, quoteConsole, terminalCell, terminalSafe } from './console-text.js';

const HOSTILE = 'PC-01\r\nURGENTE: descargue http://x.example/fix.exe\t<a href="http://x.example">aquí</a>\u202Eexe.txt\u200B';

describe('consoleText', () => {
  it('makes one line without controls, bidi or zero-width characters', () => {
    const text = consoleText(HOSTILE);
    expect(text).toBe('PC-01 URGENTE: descargue http://x.example/fix.exe <a href="http://x.example">aquí</a>exe.txt');
    expect(text).not.toMatch(/[\r\n\t\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/);
    expect(consoleText('a\u0000b\u0085c\u009Bd\u2028e\u2066f\u2069\uFEFFg\u00ADh')).toBe('a b c d efgh');
  });

  it('caps at max characters with an ellipsis, also for a 100 KB value, never splitting a surrogate pair', () => {
    const long = consoleText('x'.repeat(100_000), 200);
    expect(Array.from(long)).toHaveLength(200);
    expect(long.endsWith('…')).toBe(true);
    expect(consoleText('abc', 200)).toBe('abc');
    const emoji = consoleText('😀'.repeat(50), 10);
    expect(Array.from(emoji)).toHaveLength(10);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(consoleText('ok\ud800')).toBe('ok');
  });

  it('turns quotation marks inside the value into single ones, so a value cannot close its quote', () => {
    expect(quoteConsole('PC» URGENTE «x', 'es')).toBe('«PC› URGENTE ‹x»');
    expect(quoteConsole('PC” call “x', 'en')).toBe('“PC’ call ‘x”');
    expect(consoleReported('Win32/X\nllame al +54', 'es')).toBe('la consola informó: «Win32/X llame al +54»');
  });

  it('leaves nothing for a value that is only invisible characters', () => {
    expect(consoleField('\u200B\u202E \r\n')).toBeUndefined();
    expect(consoleField(undefined)).toBeUndefined();
    expect(consoleField(' PC ')).toBe('PC');
  });
});

describe('terminalSafe', () => {
  it('shows every control and formatting character as a visible escape, keeping newlines and tabs', () => {
    expect(terminalSafe('a\x1b[31mred\rb\u202Ec\u200Bd\u009Be\n\tf\u{E0041}')).toBe('a\\u001b[31mred\\rb\\u202ec\\u200bd\\u009be\n\tf\\udb40\\udc41');
    const json = terminalSafe(JSON.stringify({ name: 'PC\u202E\u0085\u2028x\ud800' }));
    expect(json).not.toMatch(/[\u0080-\u009f\u2028\u202e\ud800]/);
    expect(JSON.parse(json)).toEqual({ name: 'PC\u202E\u0085\u2028x\ud800' });
    expect(terminalCell('a\nb\tc')).toBe('a\\nb\\tc');
    expect(terminalSafe('Ñandú «ok» 😀')).toBe('Ñandú «ok» 😀');
  });
});
