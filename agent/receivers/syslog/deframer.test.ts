// The TCP deframer alone: split packets, octet counts across chunks, mixed framing, garbage, oversize.
import { describe, expect, it } from 'vitest';
import { SyslogDeframer, type Frame } from './deframer.js';

/** Feeds the stream in chunks of `size` bytes, then closes it; returns the messages as text. */
function deframe(stream: string | Buffer, size: number, max = 1024): { lines: string[]; frames: Frame[] } {
  const bytes = Buffer.isBuffer(stream) ? stream : Buffer.from(stream);
  const deframer = new SyslogDeframer(max);
  const frames: Frame[] = [];
  for (let i = 0; i < bytes.length; i += size) frames.push(...deframer.push(bytes.subarray(i, i + size)));
  frames.push(...deframer.end());
  return { frames, lines: frames.map((f) => f.bytes.toString()) };
}

const SIZES = [1, 2, 3, 5, 13, 4096];

describe('SyslogDeframer', () => {
  it.each(SIZES)('splits newline-framed messages (LF, CRLF, NUL) in chunks of %i bytes', (size) => {
    const { lines, frames } = deframe('<13>one\n<14>two\r\n<15>three\0<16>four\n', size);
    expect(lines).toEqual(['<13>one', '<14>two', '<15>three', '<16>four']);
    expect(frames.every((f) => f.framing === 'newline' && !f.truncated)).toBe(true);
  });

  it.each(SIZES)('reads octet-counted messages, LF inside included, in chunks of %i bytes', (size) => {
    const a = '<14>1 2026-02-27T16:25:37Z host ERAServer 1 - - {"a":\n1}';
    const b = '<14>second';
    const { lines, frames } = deframe(`${Buffer.byteLength(a)} ${a}${Buffer.byteLength(b)} ${b}`, size);
    expect(lines).toEqual([a, b]);
    expect(frames.map((f) => f.framing)).toEqual(['octet-counting', 'octet-counting']);
  });

  it.each(SIZES)('counts octets, not characters, for multi-byte UTF-8, in chunks of %i bytes', (size) => {
    const msg = '<14>Detección en PC-Ñandú';
    const { lines } = deframe(`${Buffer.byteLength(msg)} ${msg}`, size);
    expect(lines).toEqual([msg]);
  });

  it.each(SIZES)('detects the framing per message when both are mixed, in chunks of %i bytes', (size) => {
    const { lines } = deframe('<13>newline one\n9 <14>octet<13>newline two\n\n\n11 <15>octets2\n', size);
    expect(lines).toEqual(['<13>newline one', '<14>octet', '<13>newline two', '<15>octets2']);
  });

  it('does not let a garbage line starting with a number swallow the stream', () => {
    const { lines } = deframe('2024 was a year of garbage\n<13>real message\n', 4);
    expect(lines).toEqual(['2024 was a year of garbage', '<13>real message']);
  });

  it('passes garbage and binary noise through as lines, for the receiver to refuse', () => {
    const noise = Buffer.from([0xff, 0x01, 0x02, 0x0a, 0x80, 0x81, 0x0a]);
    expect(deframe(noise, 2).frames.map((f) => [...f.bytes])).toEqual([[0xff, 0x01, 0x02], [0x80, 0x81]]);
  });

  it.each(SIZES)('cuts an oversized newline message and resumes at the next one, in chunks of %i bytes', (size) => {
    const { frames } = deframe(`<13>${'x'.repeat(200)}\n<14>after\n`, size, 64);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatchObject({ truncated: true });
    expect(frames[0]?.bytes.length).toBe(64);
    expect(frames[1]?.bytes.toString()).toBe('<14>after');
  });

  it.each(SIZES)('cuts an oversized octet-counted message and skips its rest, in chunks of %i bytes', (size) => {
    const big = `<13>${'y'.repeat(300)}`;
    const { frames } = deframe(`${big.length} ${big}7 <14>ok!`, size, 64);
    expect(frames.map((f) => [f.bytes.length, f.truncated])).toEqual([[64, true], [7, false]]);
    expect(frames[1]?.bytes.toString()).toBe('<14>ok!');
  });

  it('keeps its buffer bounded on an endless line without terminator', () => {
    const deframer = new SyslogDeframer(100);
    let frames = 0;
    for (let i = 0; i < 1000; i += 1) frames += deframer.push(Buffer.alloc(1000, 0x61)).length;
    expect(frames).toBe(1);
    expect(deframer.push(Buffer.from('\n<13>next\n')).map((f) => f.bytes.toString())).toEqual(['<13>next']);
  });

  it('delivers the last unterminated message at close, and a cut octet frame as truncated', () => {
    expect(deframe('<13>no newline at the end', 7).lines).toEqual(['<13>no newline at the end']);
    const { frames } = deframe('50 <13>short', 3);
    expect(frames.map((f) => [f.bytes.toString(), f.truncated])).toEqual([['<13>short', true]]);
  });
});
