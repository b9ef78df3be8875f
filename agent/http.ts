// The agent's one HTTP client to the collector: TLS with an optional custom CA, an optional corporate proxy,
// timeouts, and failures classified as retryable or not.
//
// Built on node:http/https rather than undici: undici parses HTTP with llhttp compiled to WebAssembly, and V8
// compiling that module (TurboFan tier-up on a background thread) left 14–36 MB in a malloc arena of the agent,
// on top of ~5 MB of heap for the module; node:http parses with the llhttp already inside the node binary.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { isIP, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { DeliveryError, classifyHttpStatus } from '../lib/errors.js';

const gzipAsync = promisify(gzip);

/** Idle keep-alive connections are closed after this long (below the collector's own keep-alive timeout). */
const KEEP_ALIVE_MS = 30_000;

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

type Connect = (options: ConnectionOptions, done: (err: Error | null, socket?: Socket) => void) => void;

/** Opens a tunnel to host:port through an HTTP proxy (CONNECT), then TLS over it when the collector is https. */
function tunnelThrough(proxy: URL, target: URL, ca: string | undefined, timeoutMs: number): Connect {
  const headers: Record<string, string> = { host: `${target.hostname}:${target.port}` };
  if (proxy.username || proxy.password) {
    headers['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
  }
  const secure = target.protocol === 'https:';
  return (_options, done) => {
    let settled = false;
    const finish = (err: Error | null, socket?: Socket) => { if (!settled) { settled = true; done(err, socket); } };
    const req = httpRequest({
      host: proxy.hostname, port: Number(proxy.port) || 80, method: 'CONNECT', path: headers.host, headers, agent: false, timeout: timeoutMs,
    });
    req.once('connect', (res: IncomingMessage, socket: Socket) => {
      socket.setTimeout(0); // the CONNECT's own timeout; the tunnel then lives as long as the agent keeps it
      if (res.statusCode !== 200) {
        socket.destroy();
        finish(Object.assign(new Error(`proxy answered ${res.statusCode} to CONNECT ${headers.host}`), { code: 'PROXY_CONNECT_FAILED' }));
        return;
      }
      if (!secure) { finish(null, socket); return; }
      const host = target.hostname.replace(/^\[|\]$/g, '');
      const tls = tlsConnect({ socket, host, ...(isIP(host) ? {} : { servername: host }), ...(ca ? { ca } : {}) });
      const onError = (err: Error) => { tls.destroy(); finish(err); };
      const onTimeout = () => onError(Object.assign(new Error('TLS handshake through the proxy timed out'), { code: 'TLS_TIMEOUT' }));
      tls.once('error', onError);
      tls.setTimeout(timeoutMs, onTimeout);
      tls.once('secureConnect', () => { tls.off('error', onError); tls.setTimeout(0); tls.off('timeout', onTimeout); finish(null, tls); });
    });
    req.once('timeout', () => { if (!settled) req.destroy(Object.assign(new Error('proxy did not answer CONNECT in time'), { code: 'PROXY_TIMEOUT' })); });
    req.once('error', (err) => finish(err));
    req.end();
  };
}

/** A keep-alive agent for the collector's scheme; through the proxy, its connections are CONNECT tunnels. */
function makeAgent(target: URL, ca: string | undefined, proxy: string | undefined, timeoutMs: number): HttpAgent {
  const options = { keepAlive: true, timeout: KEEP_ALIVE_MS, ...(ca ? { ca } : {}) };
  const agent = target.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
  if (proxy) {
    const connect = tunnelThrough(new URL(proxy), target, ca, timeoutMs);
    // node:http's Agent accepts a createConnection that answers through its callback (returning nothing).
    (agent as unknown as { createConnection: Connect }).createConnection = connect;
  }
  return agent;
}

/** Creates the client; the token travels only in the Authorization header. */
export function createCollectorClient(opts: CollectorClientOptions): CollectorClient {
  const ca = opts.caFile ? readFileSync(opts.caFile, 'utf8') : undefined;
  const base = new URL(opts.url.replace(/\/+$/, ''));
  if (!base.port) base.port = base.protocol === 'https:' ? '443' : '80';
  const prefix = base.pathname === '/' ? '' : base.pathname;
  const agent = makeAgent(base, ca, opts.proxy, opts.timeoutMs);
  const send = base.protocol === 'https:' ? (o: RequestOptions) => httpsRequest(o) : (o: RequestOptions) => httpRequest(o);

  function exchange(path: string, headers: Record<string, string | number>, body: Buffer | string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req: ClientRequest = send({
        host: base.hostname.replace(/^\[|\]$/g, ''), port: Number(base.port), path: `${prefix}${path}`, method: 'POST', headers, agent, timeout: opts.timeoutMs,
      });
      req.once('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${opts.timeoutMs} ms`), { code: 'REQUEST_TIMEOUT' })));
      req.once('error', reject);
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.once('error', reject);
        res.once('aborted', () => reject(Object.assign(new Error('the collector closed the connection mid-answer'), { code: 'ECONNRESET' })));
      });
      req.end(body);
    });
  }

  // Compression starts at once and nothing else keeps the uncompressed document: once gzip has read it, it can go.
  function encode(json: string | Buffer): Promise<{ body: Buffer | string; gzipped: boolean }> {
    if (opts.gzipLevel <= 0) return Promise.resolve({ body: json, gzipped: false });
    return gzipAsync(json, { level: opts.gzipLevel }).then((body) => ({ body, gzipped: true }));
  }

  async function post<T>(path: string, encoded: Promise<{ body: Buffer | string; gzipped: boolean }>): Promise<CollectorResponse<T>> {
    const { body, gzipped } = await encoded;
    const headers: Record<string, string | number> = {
      'content-type': 'application/json', authorization: `Bearer ${opts.token}`,
      'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.length,
    };
    if (gzipped) headers['content-encoding'] = 'gzip';
    let res: { status: number; text: string };
    try {
      res = await exchange(path, headers, body);
    } catch (err) {
      const e = err as Error & { code?: string };
      const timeout = /TIMEOUT/i.test(e.code ?? '') || /timeout/i.test(e.message);
      throw new DeliveryError(`collector unreachable: ${e.code ?? e.message}`, timeout ? 'timeout' : 'network', true);
    }
    const { status, text } = res;
    if (status >= 200 && status < 300) {
      try {
        return { status, body: JSON.parse(text) as T };
      } catch {
        throw new DeliveryError('collector answered 2xx with a body that is not JSON', 'server', true);
      }
    }
    const { reason, retryable } = classifyHttpStatus(status);
    let detail = text.slice(0, 300);
    try { detail = (JSON.parse(text) as { message?: string }).message ?? detail; } catch { /* not JSON */ }
    throw Object.assign(new DeliveryError(`collector answered ${status}: ${detail}`, reason, retryable), { status });
  }

  return {
    postJson: <T>(path: string, json: string | Buffer) => post<T>(path, encode(json)),
    async close() { agent.destroy(); },
  };
}
