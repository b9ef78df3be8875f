// Splits a syslog TCP stream into messages (RFC 6587). Each message decides its own framing: "<digits> <" opens an
// octet-counted frame, anything else runs to the next LF (or NUL; a CR before the LF is dropped). Requiring the "<"
// of a PRI after the count keeps a garbage line that happens to start with a number from swallowing the messages
// behind it. Memory is bounded by maxBytes: a longer message is cut and the rest of it skipped.

/** One message taken off the stream, without its framing. */
export interface Frame {
  bytes: Buffer;
  /** The message was longer than maxBytes; `bytes` holds its first maxBytes. */
  truncated: boolean;
  framing: 'octet-counting' | 'newline' | 'datagram';
}

type State =
  | { kind: 'start' }
  | { kind: 'line' }
  | { kind: 'octets'; length: number }
  | { kind: 'skip-line' }
  | { kind: 'skip-octets'; remaining: number };

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const SP = 0x20;
const LT = 0x3c;
const MAX_COUNT_DIGITS = 7;
/** step() needs more bytes before it can go on. */
const WAIT = -1;

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** Finds the next LF or NUL at or after `from`; -1 when there is none. */
function terminator(buf: Buffer, from: number): number {
  const lf = buf.indexOf(LF, from);
  const nul = buf.indexOf(NUL, from);
  if (lf === -1) return nul;
  if (nul === -1) return lf;
  return Math.min(lf, nul);
}

/** A streaming deframer for one TCP connection: push chunks in, take whole messages out. */
export class SyslogDeframer {
  private pending: Buffer = Buffer.alloc(0);
  private state: State = { kind: 'start' };

  constructor(private readonly maxBytes: number) {}

  /** True while a message has begun and is not complete: bytes of it are held, or the rest of a cut one skipped. */
  get inMessage(): boolean {
    return this.pending.length > 0 || this.state.kind !== 'start';
  }

  /** Takes the next chunk of the stream; returns the messages it completed (possibly none). */
  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let pos = 0;
    while (pos < buf.length) {
      const next = this.step(buf, pos, frames);
      if (next === WAIT) break;
      pos = next;
    }
    // Copy, so a small remainder does not pin a large chunk in memory.
    this.pending = Buffer.from(buf.subarray(pos));
    return frames;
  }

  /** The connection closed: a message still waiting for its LF is complete; a short octet frame is kept, cut. */
  end(): Frame[] {
    const rest = this.pending;
    const state = this.state;
    this.pending = Buffer.alloc(0);
    this.state = { kind: 'start' };
    if (rest.length === 0) return [];
    if (state.kind === 'line' || state.kind === 'start') {
      const line = rest[rest.length - 1] === CR ? rest.subarray(0, -1) : rest;
      return line.length > 0 ? [{ bytes: line, truncated: false, framing: 'newline' }] : [];
    }
    if (state.kind === 'octets') return [{ bytes: rest, truncated: true, framing: 'octet-counting' }];
    return [];
  }

  /** Advances over what it can; returns the new position, or WAIT when it needs more bytes. */
  private step(buf: Buffer, pos: number, frames: Frame[]): number {
    const state = this.state;
    switch (state.kind) {
      case 'start':
        return this.startFrame(buf, pos);
      case 'line': {
        const end = terminator(buf, pos);
        if (end === -1) {
          if (buf.length - pos <= this.maxBytes) return WAIT;
          frames.push({ bytes: Buffer.from(buf.subarray(pos, pos + this.maxBytes)), truncated: true, framing: 'newline' });
          this.state = { kind: 'skip-line' };
          return buf.length;
        }
        let line = buf.subarray(pos, end);
        if (line[line.length - 1] === CR) line = line.subarray(0, -1);
        const truncated = line.length > this.maxBytes;
        if (line.length > 0) frames.push({ bytes: Buffer.from(line.subarray(0, this.maxBytes)), truncated, framing: 'newline' });
        this.state = { kind: 'start' };
        return end + 1;
      }
      case 'octets': {
        const want = Math.min(state.length, this.maxBytes);
        if (buf.length - pos < want) return WAIT;
        frames.push({ bytes: Buffer.from(buf.subarray(pos, pos + want)), truncated: state.length > this.maxBytes, framing: 'octet-counting' });
        this.state = state.length > want ? { kind: 'skip-octets', remaining: state.length - want } : { kind: 'start' };
        return pos + want;
      }
      case 'skip-line': {
        const end = terminator(buf, pos);
        if (end === -1) return buf.length;
        this.state = { kind: 'start' };
        return end + 1;
      }
      case 'skip-octets': {
        const skip = Math.min(state.remaining, buf.length - pos);
        this.state = state.remaining > skip ? { kind: 'skip-octets', remaining: state.remaining - skip } : { kind: 'start' };
        return pos + skip;
      }
    }
  }

  /** At a message boundary: skips empty lines, then picks the framing of the next message. */
  private startFrame(buf: Buffer, pos: number): number {
    const first = buf[pos];
    if (first === LF || first === NUL || first === CR) return pos + 1;
    if (isDigit(first) && first !== 0x30) {
      let end = pos;
      while (end < buf.length && isDigit(buf[end]) && end - pos <= MAX_COUNT_DIGITS) end += 1;
      if (end - pos <= MAX_COUNT_DIGITS) {
        if (end === buf.length || end + 1 === buf.length) return WAIT; // the space and the byte after it decide
        if (buf[end] === SP && buf[end + 1] === LT) {
          this.state = { kind: 'octets', length: Number(buf.toString('latin1', pos, end)) };
          return end + 1;
        }
      }
    }
    // No byte consumed, but the state moved on, so the caller's loop does too.
    this.state = { kind: 'line' };
    return pos;
  }
}
