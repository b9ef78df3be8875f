// The agent's one HTTP client to the collector: TLS with an optional custom CA, an optional corporate proxy,
// timeouts, and failures classified as retryable or not.
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { readFileSync } from 'node:fs';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { DeliveryError, classifyHttpStatus } from '../lib/errors.js';

const gzipAsync = promisify(gzip);

/** How to reach the collector. */
export interface CollectorClientOptions {
  url: string;
  token: string;
  timeoutMs: number;
  /** http://[user:pass@]host:port of a corporate proxy. */
  proxy?: string;
  /** PEM file of the CA that signed the collector's certificate (private PKI). */
  caFile?: string;
  /** gzip level for bodies; 0 sends them uncompressed. */
  gzipLevel: number;
}

/** A response the collector gave. */
export interface CollectorResponse<T> {
  status: number;
  body: T;
}

/** The agent's client of the collector API. */
export interface CollectorClient {
  /** POSTs a JSON document (a string, or its UTF-8 bytes). */
  postJson<T>(path: string, json: string | Buffer): Promise<CollectorResponse<T>>;
  close(): Promise<void>;
}

/** Creates the client; the token travels only in the Authorization header. */
export function createCollectorClient(opts: CollectorClientOptions): CollectorClient {
  const ca = opts.caFile ? readFileSync(opts.caFile, 'utf8') : undefined;
  const dispatcher: Dispatcher = opts.proxy
    ? new ProxyAgent({ uri: opts.proxy, ...(ca ? { requestTls: { ca } } : {}) })
    : new Agent({ connect: ca ? { ca } : {}, keepAliveTimeout: 30_000 });
  const base = opts.url.replace(/\/+$/, '');
  return {
    async postJson<T>(path: string, json: string | Buffer): Promise<CollectorResponse<T>> {
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` };
      let body: Buffer | string = json;
      if (opts.gzipLevel > 0) {
        body = await gzipAsync(json, { level: opts.gzipLevel });
        headers['content-encoding'] = 'gzip';
      }
      let res: Dispatcher.ResponseData;
      try {
        res = await request(`${base}${path}`, { method: 'POST', headers, body, dispatcher, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs });
      } catch (err) {
        const e = err as Error & { code?: string };
        const timeout = /TIMEOUT/i.test(e.code ?? '') || /timeout/i.test(e.message);
        throw new DeliveryError(`collector unreachable: ${e.code ?? e.message}`, timeout ? 'timeout' : 'network', true);
      }
      const text = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) {
        try {
          return { status: res.statusCode, body: JSON.parse(text) as T };
        } catch {
          throw new DeliveryError('collector answered 2xx with a body that is not JSON', 'server', true);
        }
      }
      const { reason, retryable } = classifyHttpStatus(res.statusCode);
      let detail = text.slice(0, 300);
      try { detail = (JSON.parse(text) as { message?: string }).message ?? detail; } catch { /* not JSON */ }
      throw Object.assign(new DeliveryError(`collector answered ${res.statusCode}: ${detail}`, reason, retryable), { status: res.statusCode });
    },
    async close() { await dispatcher.close(); },
  };
}
