// The MIME guard alone: pure, fed chunk by chunk.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MimeGuard, type GuardLimits } from './mime-guard.js';
import { parseMail } from './parse-mail.js';

const limits: GuardLimits = { maxParts: 10, maxDepth: 3, maxHeaderLines: 20, maxBytes: 1_000_000 };

/** Feeds text in chunks of `size` bytes and returns what the guard let through. */
function run(text: string, size: number, guard = new MimeGuard(limits)): { guard: MimeGuard; forwarded: string } {
  const bytes = Buffer.from(text);
  let forwarded = '';
  for (let i = 0; i < bytes.length; i += size) forwarded += guard.feed(bytes.subarray(i, i + size)).toString();
  return { guard, forwarded };
}

const multipart = (parts: number) =>
  `Content-Type: multipart/mixed; boundary="zz"\r\n\r\n${Array.from({ length: parts }, (_, i) => `--zz\r\n\r\npart ${i}\r\n`).join('')}--zz--\r\n`;

describe('MimeGuard', () => {
  it.each([1, 3, 7, 1000])('forwards a legal message whole, in chunks of %i bytes', (size) => {
    const text = multipart(5);
    const { guard, forwarded } = run(text, size);
    expect(forwarded).toBe(text);
    expect(guard.cutReason).toBeNull();
    expect(guard.parts).toBe(6);
    expect(guard.warnings).toEqual([]);
  });

  it.each([1, 5, 4096])('cuts before the part past the limit, in chunks of %i bytes', (size) => {
    const { guard, forwarded } = run(multipart(50), size);
    expect(guard.cutReason).toBe('parts');
    expect(forwarded).toContain('part 8');
    expect(forwarded).not.toContain('part 9');
    expect(guard.warnings[0]).toContain('more than 10 MIME parts');
  });

  it('cuts a nesting deeper than the limit, boundaries and embedded messages alike', () => {
    const nested = 'Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n'
      + '--b\r\nContent-Type: message/rfc822\r\n\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\n\r\ndeep\r\n';
    const { guard, forwarded } = run(nested, 16);
    expect(guard.cutReason).toBe('depth');
    expect(forwarded).not.toContain('deep');
  });

  it('counts header lines per part, not folded continuations', () => {
    const folded = `Subject: a\r\n${' continued\r\n'.repeat(100)}X: 1\r\n\r\nbody\r\n`;
    expect(run(folded, 64).guard.cutReason).toBeNull();
    const flood = `${'X-A: 1\r\n'.repeat(21)}\r\nbody\r\n`;
    expect(run(flood, 64).guard.cutReason).toBe('header-lines');
  });

  it('stops at the size limit but keeps counting the bytes', () => {
    const guard = new MimeGuard({ ...limits, maxBytes: 100 });
    const { forwarded } = run(`Subject: x\r\n\r\n${'a'.repeat(500)}\r\n`, 50, guard);
    expect(guard.cutReason).toBe('size');
    expect(guard.bytes).toBeGreaterThan(500);
    expect(forwarded.length).toBeLessThanOrEqual(100);
  });

  it('warns once about a broken transfer encoding, and not about a valid one', () => {
    const good = 'Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n';
    expect(run(good, 8).guard.warnings).toEqual([]);
    const bad = 'Content-Transfer-Encoding: base64\r\n\r\naGVs*bG8=\r\n#?\r\n';
    expect(run(bad, 8).guard.warnings).toEqual(['invalid base64 in part 1: bad characters were skipped']);
    const qp = 'Content-Transfer-Encoding: quoted-printable\r\n\r\nsoft=\r\nok =3D fine=20\r\n';
    expect(run(qp, 8).guard.warnings).toEqual([]);
  });

  it('ignores boundary-like lines that belong to no open multipart', () => {
    const text = 'Content-Type: multipart/mixed; boundary=real\r\n\r\n--real\r\n\r\n--fake\r\n--real--\r\n';
    const { guard } = run(text, 3);
    expect(guard.parts).toBe(2);
  });
});

describe('parseMail time budget', () => {
  it('gives up parsing a message that takes longer than its budget, still reading the input to its end', async () => {
    let endReached = false;
    async function* slow(): AsyncGenerator<Buffer> {
      yield Buffer.from('Subject: slow\r\n\r\nfirst line\r\n');
      await new Promise((resolve) => setTimeout(resolve, 400));
      yield Buffer.from('second line\r\n');
      endReached = true;
    }
    const parsed = await parseMail(Readable.from(slow()), { maxParts: 10, maxDepth: 3, maxHeaderLines: 50, parseTimeoutMs: 100, maxBytes: 10_000 });
    expect(endReached).toBe(true);
    expect(parsed.cutReason).toBe('time');
    expect(parsed.warnings.join('\n')).toContain('parsing took longer than 100 ms');
  });
});
