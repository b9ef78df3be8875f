// A line-level watch over a MIME message as it streams in, before mailparser sees it. mailparser bounds the number
// of parts and the header size but not the nesting depth, and its cost grows with structure: this guard counts
// parts, depth and header lines itself and stops feeding the parser at the first limit, so a MIME bomb costs no
// more than a legal message. It also notices broken transfer encodings and charsets, which mailparser repairs
// silently, so that the capture can say why its text looks odd.
import type { MimeLimits } from './config.js';

/** The limits the guard enforces: the MIME limits plus the message size. */
export type GuardLimits = Pick<MimeLimits, 'maxParts' | 'maxDepth' | 'maxHeaderLines'> & { maxBytes: number };

const MAX_INSPECTED_LINE = 2048;
const MAX_WARNINGS = 20;
const TRACKED_FIELDS = new Set(['content-type', 'content-transfer-encoding']);

interface Level {
  /** null for an embedded message/rfc822, which nests without a boundary. */
  boundary: string | null;
}

/** Watches a message chunk by chunk; `feed` returns the bytes that may go on to the parser. */
export class MimeGuard {
  /** Why parsing stopped early ("parts", "depth", "header-lines", "size"), or null. */
  cutReason: string | null = null;
  /** Bytes seen, including those after a cut. */
  bytes = 0;
  /** Parts seen before a cut (the root counts as one). */
  parts = 1;
  readonly warnings: string[] = [];

  private readonly stack: Level[] = [];
  private inHeader = true;
  private headerLines = 0;
  private field: { name: string; value: string } | null = null;
  private fields = new Map<string, string>();
  private encoding = '';
  private carry = '';
  private carryTooLong = false;
  private readonly warned = new Set<string>();

  constructor(private readonly limits: GuardLimits) {}

  /** Takes the next chunk; returns what to forward (all of it, a head of it up to a cut, or nothing after one). */
  feed(chunk: Buffer): Buffer {
    this.bytes += chunk.length;
    if (this.cutReason) return chunk.subarray(0, 0);
    if (this.bytes > this.limits.maxBytes) {
      this.cut('size', `message larger than ${this.limits.maxBytes} bytes`);
      return chunk.subarray(0, 0);
    }
    let lineStart = 0;
    let newline = chunk.indexOf(0x0a);
    while (newline !== -1) {
      const startedHere = this.carry.length === 0 && !this.carryTooLong;
      this.append(chunk, lineStart, newline);
      const tooLong = this.carryTooLong;
      const line = this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry;
      this.carry = '';
      this.carryTooLong = false;
      this.inspect(line, tooLong);
      if (this.cutReason) return chunk.subarray(0, startedHere ? lineStart : 0);
      lineStart = newline + 1;
      newline = chunk.indexOf(0x0a, lineStart);
    }
    this.append(chunk, lineStart, chunk.length);
    return chunk;
  }

  private append(chunk: Buffer, start: number, end: number): void {
    if (this.carryTooLong) return;
    if (this.carry.length + (end - start) > MAX_INSPECTED_LINE) {
      // Boundaries and header names are short; a long line is body content and needs no inspection.
      this.carryTooLong = true;
      this.carry = '';
      return;
    }
    this.carry += chunk.toString('latin1', start, end);
  }

  private inspect(line: string, tooLong: boolean): void {
    if (this.inHeader) {
      this.inspectHeader(line, tooLong);
      return;
    }
    if (!tooLong && line.startsWith('--') && this.matchBoundary(line.trimEnd())) return;
    if (!tooLong) this.checkEncoding(line);
  }

  private inspectHeader(line: string, tooLong: boolean): void {
    if (line === '') {
      this.endHeader();
      return;
    }
    if (!tooLong && (line.startsWith(' ') || line.startsWith('\t'))) {
      if (this.field && this.field.value.length < MAX_INSPECTED_LINE) this.field.value += ` ${line.trim()}`;
      return;
    }
    this.headerLines += 1;
    if (this.headerLines > this.limits.maxHeaderLines) {
      this.cut('header-lines', `more than ${this.limits.maxHeaderLines} header lines in part ${this.parts}`);
      return;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    this.field = !tooLong && TRACKED_FIELDS.has(name) ? { name, value: line.slice(colon + 1).trim() } : null;
    if (this.field) this.fields.set(name, this.field.value);
  }

  private endHeader(): void {
    if (this.field) this.fields.set(this.field.name, this.field.value);
    const contentType = this.fields.get('content-type') ?? '';
    const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
    this.encoding = (this.fields.get('content-transfer-encoding') ?? '').toLowerCase();
    this.resetHeader();
    if (type.startsWith('multipart/')) {
      const boundary = /boundary\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(contentType);
      const value = boundary?.[1] ?? boundary?.[2];
      if (value) this.nest({ boundary: value });
      this.inHeader = false;
      return;
    }
    if (type === 'message/rfc822') {
      // The body of an embedded message starts with its own header.
      this.nest({ boundary: null });
      this.inHeader = true;
      return;
    }
    this.checkCharset(contentType);
    this.inHeader = false;
  }

  private nest(level: Level): void {
    this.stack.push(level);
    if (this.stack.length > this.limits.maxDepth) {
      this.cut('depth', `MIME nesting deeper than ${this.limits.maxDepth} levels`);
    }
  }

  private matchBoundary(line: string): boolean {
    for (let i = this.stack.length - 1; i >= 0; i -= 1) {
      const boundary = this.stack[i]?.boundary;
      if (!boundary) continue;
      if (line === `--${boundary}`) {
        this.stack.length = i + 1;
        this.parts += 1;
        this.inHeader = true;
        this.encoding = '';
        if (this.parts > this.limits.maxParts) this.cut('parts', `more than ${this.limits.maxParts} MIME parts`);
        return true;
      }
      if (line === `--${boundary}--`) {
        this.stack.length = i;
        this.inHeader = false;
        this.encoding = '';
        return true;
      }
    }
    return false;
  }

  private checkEncoding(line: string): void {
    if (this.encoding === 'base64' && /[^A-Za-z0-9+/=\s]/.test(line)) {
      this.warnOnce('base64', `invalid base64 in part ${this.parts}: bad characters were skipped`);
    } else if (this.encoding === 'quoted-printable' && /=(?![0-9A-Fa-f]{2})/.test(line.replace(/=\s*$/, ''))) {
      this.warnOnce('qp', `invalid quoted-printable in part ${this.parts}: kept as literal text`);
    }
  }

  private checkCharset(contentType: string): void {
    const charset = /charset\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(contentType);
    const label = (charset?.[1] ?? charset?.[2] ?? '').trim();
    if (!label) return;
    try {
      new TextDecoder(label);
    } catch {
      this.warnOnce(`charset:${label.toLowerCase()}`, `unknown charset "${label.slice(0, 64)}" in part ${this.parts}: decoded as UTF-8`);
    }
  }

  private resetHeader(): void {
    this.headerLines = 0;
    this.field = null;
    this.fields = new Map();
  }

  private cut(reason: string, warning: string): void {
    this.cutReason = reason;
    this.warn(`${warning}: the rest of the message was not parsed`);
  }

  private warnOnce(key: string, warning: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(warning);
  }

  private warn(warning: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(warning.slice(0, 1024));
  }
}
