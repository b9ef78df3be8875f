// Fetching one source with undici: a deadline over the whole exchange, redirects followed by hand up to a bound,
// conditional GET (ETag / Last-Modified), a size cap, and the body decoded by the charset the server or the XML
// prolog declares. rss-parser's own fetching is avoided on purpose (research §2: leaks, no 304, latin1 only).
import { TextDecoder } from 'node:util';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { classifyHttpStatus, type FailureReason } from '../../lib/errors.js';
import type { AdvisoriesConfig, AdvisorySource } from './config.js';
import { redirectRefusal } from './redirect-guard.js';

/** The validators a source answered with last time, sent back so an unchanged feed costs a 304. */
export interface ConditionalState {
  etag: string | null;
  lastModified: string | null;
}

/** What a fetch brought: nothing new (304), or a decoded body with the validators to keep. */
export type FetchOutcome =
  | { status: 'not-modified' }
  | { status: 'ok'; text: string; charset: string; etag: string | null; lastModified: string | null; finalUrl: string };

/** The HTTP side of the fetch: how long to wait, how far to follow, who we say we are, through which dispatcher. */
export interface FetchOptions {
  userAgent: string;
  timeoutMs: number;
  maxRedirects: number;
  maxBodyBytes: number;
  dispatcher?: Dispatcher;
  /** Follow redirects to loopback, link-local and private addresses (refused by default: redirect-guard.ts). */
  allowPrivateRedirects?: boolean;
}

/** A source that could not be read, with a reason a person (and the metrics) can sort by. */
export class SourceFetchError extends Error {
  constructor(message: string, readonly reason: FailureReason, readonly httpStatus?: number) {
    super(message);
    this.name = 'SourceFetchError';
  }
}

/** The dispatcher the configuration asks for: its proxy, or a plain agent with a connect timeout. */
export function createDispatcher(config: Pick<AdvisoriesConfig, 'proxy' | 'timeoutMs'>): Dispatcher {
  if (config.proxy) return new ProxyAgent({ uri: config.proxy, connect: { timeout: config.timeoutMs } });
  return new Agent({ connect: { timeout: config.timeoutMs } });
}

/** Fetches a source once; resolves a 304 as not-modified, throws SourceFetchError for everything that failed. */
export async function fetchSource(source: AdvisorySource, state: ConditionalState, opts: FetchOptions): Promise<FetchOutcome> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const json = source.kind === 'cisa-kev' || source.kind === 'broadcom-json';
  const headers: Record<string, string> = {
    'user-agent': opts.userAgent,
    accept: json ? 'application/json' : 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5',
  };
  if (state.etag) headers['if-none-match'] = state.etag;
  if (state.lastModified) headers['if-modified-since'] = state.lastModified;
  if (source.body !== undefined) headers['content-type'] = 'application/json';
  let url = source.url;
  try {
    for (let hop = 0; ; hop += 1) {
      const res = await request(url, {
        method: source.body !== undefined ? 'POST' : 'GET', headers, body: source.body, signal,
        ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
      });
      if (res.statusCode >= 300 && res.statusCode < 400 && res.statusCode !== 304) {
        await res.body.dump();
        const location = header(res.headers, 'location');
        if (!location) throw new SourceFetchError(`HTTP ${res.statusCode} without a Location`, 'server', res.statusCode);
        if (hop >= opts.maxRedirects) throw new SourceFetchError(`more than ${opts.maxRedirects} redirects`, 'client', res.statusCode);
        url = new URL(location, url).toString();
        const refused = await redirectRefusal(url, { allowPrivate: opts.allowPrivateRedirects === true, sourceHost: new URL(source.url).hostname });
        if (refused) throw new SourceFetchError(refused, 'client', res.statusCode);
        continue;
      }
      if (res.statusCode === 304) {
        await res.body.dump();
        return { status: 'not-modified' };
      }
      if (res.statusCode >= 400) {
        await res.body.dump();
        const { reason } = classifyHttpStatus(res.statusCode);
        throw new SourceFetchError(`HTTP ${res.statusCode}`, reason, res.statusCode);
      }
      const bytes = await readCapped(res.body, opts.maxBodyBytes);
      const decoded = decodeBody(bytes, header(res.headers, 'content-type'));
      return {
        status: 'ok', ...decoded, finalUrl: url,
        etag: header(res.headers, 'etag') ?? null, lastModified: header(res.headers, 'last-modified') ?? null,
      };
    }
  } catch (err) {
    if (err instanceof SourceFetchError) throw err;
    if (signal.aborted) throw new SourceFetchError(`no complete answer within ${opts.timeoutMs} ms`, 'timeout');
    const code = (err as { code?: string }).code;
    throw new SourceFetchError(`${code ? `${code}: ` : ''}${(err as Error).message}`, 'network');
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown }, max: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      throw new SourceFetchError(`the body is larger than ${max} bytes`, 'client');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const PROLOG = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;

/** Decodes a body: charset from Content-Type, else a BOM, else the XML prolog, else UTF-8 (windows-1252 if invalid). */
export function decodeBody(bytes: Uint8Array, contentType?: string): { text: string; charset: string } {
  const declared = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
  const fromBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 'utf-8'
    : bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  // The prolog is ASCII by definition, so reading its first bytes as latin1 is safe whatever the real charset.
  const prolog = PROLOG.exec(Buffer.from(bytes.subarray(0, 256)).toString('latin1').replace(/^\uFEFF|^\s+/, ''))?.[1];
  for (const label of [declared, fromBom, prolog]) {
    if (!label) continue;
    const decoder = tryDecoder(label);
    if (decoder) return { text: stripBom(decoder.decode(bytes)), charset: decoder.encoding };
  }
  try {
    return { text: stripBom(new TextDecoder('utf-8', { fatal: true }).decode(bytes)), charset: 'utf-8' };
  } catch {
    // Undeclared and not UTF-8: the Western European single-byte charset is by far the likeliest for our vendors.
    return { text: new TextDecoder('windows-1252').decode(bytes), charset: 'windows-1252' };
  }
}

function tryDecoder(label: string): TextDecoder | undefined {
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return undefined;
  }
}

function stripBom(text: string): string {
  return text.replace(/^\uFEFF/, '');
}
