// Byte-order marks decide the encoding before anything is read as text: UTF-16 (both orders) never becomes Latin-1.
import { describe, expect, it } from 'vitest';
import { decodeText, markedTextOf, repairMisdecodedText } from './text-encoding.js';
import { usableAddress } from './address.js';

const TEXT = 'Site: Sitio Central,Server: SEPM01,Échec de LiveUpdate';
const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
const utf16be = Buffer.from(utf16le).swap16();

describe('decodeText', () => {
  it('reads UTF-16 LE and BE by their marks, UTF-8 by its mark, and unmarked UTF-16 by its zero bytes', () => {
    expect(decodeText(utf16le)).toEqual({ text: TEXT, encoding: 'utf-16le' });
    expect(decodeText(utf16be)).toEqual({ text: TEXT, encoding: 'utf-16be' });
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]))).toEqual({ text: TEXT, encoding: 'utf-8' });
    expect(decodeText(Buffer.from(TEXT, 'utf16le'))).toEqual({ text: TEXT, encoding: 'utf-16le' });
    const utf32 = Buffer.alloc(4 + TEXT.length * 4);
    utf32.set([0xff, 0xfe, 0, 0]);
    [...TEXT].forEach((c, i) => utf32.writeUInt32LE(c.codePointAt(0)!, 4 + i * 4));
    expect(decodeText(utf32)).toEqual({ text: TEXT, encoding: 'utf-32le' });
  });

  it('falls back to Windows-1252 only for unmarked bytes that are not UTF-8', () => {
    expect(decodeText(Buffer.from([0x45, 0x72, 0x72, 0x65, 0x75, 0x72, 0x20, 0xe9]))).toEqual({ text: 'Erreur é', encoding: 'windows-1252' });
  });

  it('turns marked bytes into text and leaves other binary alone', () => {
    expect(markedTextOf(utf16be)).toBe(TEXT);
    expect(markedTextOf(Buffer.from([0x30, 0x82, 0x01, 0xfa, 0x02, 0x01]))).toBeUndefined();
  });
});

describe('repairMisdecodedText', () => {
  it('re-decodes UTF-16 read as Latin-1 and drops the NULs of UTF-16 read as UTF-8', () => {
    expect(repairMisdecodedText(utf16le.toString('latin1'))).toBe(TEXT);
    expect(repairMisdecodedText(utf16be.toString('latin1'))).toBe(TEXT);
    expect(repairMisdecodedText(new TextDecoder().decode(utf16le))).toBe(TEXT.replace('É', '\uFFFD'));
    expect(repairMisdecodedText(Buffer.from(TEXT, 'utf16le').toString('latin1'))).toBe(TEXT);
  });

  it('leaves right text as it was, drops a real or misread UTF-8 mark', () => {
    expect(repairMisdecodedText(TEXT)).toBe(TEXT);
    expect(repairMisdecodedText(`\uFEFF${TEXT}`)).toBe(TEXT);
    expect(repairMisdecodedText(Buffer.from(`\uFEFF${TEXT}`).toString('latin1'))).toBe(TEXT);
    expect(repairMisdecodedText(`ï»¿${TEXT}`)).toBe(TEXT);
  });
});

describe('usableAddress', () => {
  it('keeps real addresses and drops unspecified ones and anonymised placeholders', () => {
    expect(usableAddress('10.20.0.57')).toBe('10.20.0.57');
    expect(usableAddress('fe80::1')).toBe('fe80::1');
    expect(usableAddress('81.2.69.144.')).toBe('81.2.69.144');
    for (const placeholder of ['0.0.0.0', '::', '0:0:0:0:0:0:0:0', 'x.x.x.x', '...', 'xxx.xxx.xxx.xxx', '<IP>', 'REDACTED', '']) {
      expect(usableAddress(placeholder)).toBeUndefined();
    }
  });
});
