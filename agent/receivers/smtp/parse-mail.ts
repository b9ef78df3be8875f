// Turns the DATA stream of one SMTP transaction into the parts of an SmtpCapture: headers, text, HTML and the
// identity of each attachment (its bytes are hashed while they stream past and then dropped).
// Bounded three ways: the MimeGuard stops feeding mailparser at the first structural limit, mailparser's own
// maxChildNodes/maxHeadSize back it up, and a wall-time budget abandons a parse that still runs too long. In every
// case the input stream is read to its end, because the SMTP session can only answer once DATA is complete.
import { once } from 'node:events';
import { MailParser, type AttachmentStream, type HeaderLines, type Headers, type MessageText } from 'mailparser';
import type { SmtpCapture } from '../../../protocol/envelope.js';
import type { MimeLimits } from './config.js';
import { MimeGuard } from './mime-guard.js';

/** What one message yields; the receiver adds the envelope (MAIL FROM, RCPT TO). */
export type ParsedMail = Omit<SmtpCapture, 'mailFrom' | 'rcptTo' | 'warnings'> & {
  warnings: string[];
  /** Bytes of DATA received, also past the size limit. */
  bytes: number;
  /** The message went over maxBytes; the receiver answers 552. */
  oversized: boolean;
  /** Why parsing stopped early, or null. */
  cutReason: string | null;
};

const MAX_TEXT = 4_000_000;
const MAX_HTML = 8_000_000;
const MAX_HEADERS = 2000;

/** Parses one message from its DATA stream within the limits; never throws for what the message contains. */
export async function parseMail(input: AsyncIterable<Buffer>, limits: MimeLimits & { maxBytes: number }): Promise<ParsedMail> {
  const guard = new MimeGuard(limits);
  const result: ParsedMail = { headers: [], attachments: [], warnings: [], bytes: 0, oversized: false, cutReason: null };
  const parser = new MailParser({
    skipHtmlToText: true, // the collector reads the HTML itself; converting it here only costs time
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
    checksumAlgo: 'sha256',
    maxChildNodes: limits.maxParts + 1,
    maxHeadSize: 256 * 1024,
  });
  const abort = new AbortController();
  const done = collect(parser, result, abort);
  const timer = setTimeout(() => {
    result.warnings.push(`parsing took longer than ${limits.parseTimeoutMs} ms: the rest of the message was not parsed`);
    result.cutReason ??= 'time';
    abort.abort();
    parser.destroy();
  }, limits.parseTimeoutMs);
  let parserEnded = false;
  try {
    for await (const chunk of input) {
      const forward = guard.feed(chunk);
      if (forward.length > 0 && !abort.signal.aborted) {
        if (!parser.write(forward)) await once(parser, 'drain', { signal: abort.signal }).catch(() => undefined);
      }
      if (guard.cutReason && !parserEnded) {
        parserEnded = true;
        parser.end();
      }
    }
    if (!parserEnded) parser.end();
    await done;
  } finally {
    clearTimeout(timer);
  }
  result.bytes = guard.bytes;
  result.oversized = guard.cutReason === 'size';
  result.cutReason ??= guard.cutReason;
  result.warnings.unshift(...guard.warnings);
  if (result.text?.includes('\uFFFD') || result.html?.includes('\uFFFD')) {
    result.warnings.push('the text contains bytes that are not valid in its charset: they were replaced by U+FFFD');
  }
  result.warnings = result.warnings.slice(0, 100);
  return result;
}

/** Reads the parser's output into `result`; resolves when the parser ends, fails or is abandoned. */
function collect(parser: MailParser, result: ParsedMail, abort: AbortController): Promise<void> {
  return new Promise((resolve) => {
    const finish = (): void => resolve();
    abort.signal.addEventListener('abort', finish, { once: true });
    parser.once('headerLines', (lines: HeaderLines) => readHeaderLines(lines, result));
    parser.once('headers', (headers: Headers) => readHeaders(headers, result));
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'attachment') {
        dropAttachment(data, result);
        return;
      }
      if (data.text !== undefined) result.text = clip(data.text, MAX_TEXT, 'text', result);
      if (data.html !== undefined) result.html = clip(data.html, MAX_HTML, 'HTML', result);
    });
    parser.once('end', finish);
    parser.once('close', finish);
    parser.on('error', (err: Error) => {
      result.warnings.push(`the message could not be parsed to its end: ${err.message}`.slice(0, 1024));
      result.cutReason ??= 'parse-error';
      // Stop writing to a parser that failed; the input is still drained by the caller.
      abort.abort();
    });
  });
}

function dropAttachment(attachment: AttachmentStream, result: ParsedMail): void {
  const content = attachment.content;
  content.on('error', () => undefined);
  content.on('end', () => {
    if (attachment.checksum && result.attachments.length < 10_000) {
      result.attachments.push({
        ...(attachment.filename ? { filename: attachment.filename.slice(0, 1024) } : {}),
        contentType: (attachment.contentType || 'application/octet-stream').slice(0, 256),
        size: attachment.size ?? 0,
        sha256: attachment.checksum,
      });
    }
    attachment.release?.();
  });
  // Read and forget: the hash is computed by mailparser as the bytes flow; nothing is kept.
  content.resume();
}

function readHeaderLines(lines: HeaderLines, result: ParsedMail): void {
  for (const { line } of lines.slice(0, MAX_HEADERS)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().slice(0, 1024);
    const value = line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim().slice(0, 65_536);
    result.headers.push([name, value]);
    const key = name.toLowerCase();
    if (key === 'date' && result.date === undefined) result.date = value.slice(0, 128);
  }
  if (lines.length > MAX_HEADERS) result.warnings.push(`only the first ${MAX_HEADERS} header lines were kept`);
}

function readHeaders(headers: Headers, result: ParsedMail): void {
  const subject = headers.get('subject');
  if (typeof subject === 'string') result.subject = subject.slice(0, 65_536);
  const from = headers.get('from');
  if (from && typeof from === 'object' && 'text' in from && typeof from.text === 'string') result.from = from.text.slice(0, 4096);
  const messageId = headers.get('message-id');
  if (typeof messageId === 'string') result.messageId = messageId.slice(0, 1024);
}

function clip(text: string, max: number, what: string, result: ParsedMail): string {
  if (text.length <= max) return text;
  result.warnings.push(`the ${what} body was longer than ${max} characters and was cut`);
  return text.slice(0, max);
}
