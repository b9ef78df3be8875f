// Fetching against a real local HTTP server: headers we send, redirects bounded, conditional GET, failures sorted
// by reason, the proxy of the configuration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, startProxy, type FeedServer } from '../../test/fixtures/feeds/feed-server.js';
import { parseAdvisoriesConfig, type AdvisorySource } from './config.js';
import { createDispatcher, fetchSource, SourceFetchError, type FetchOptions } from './fetch.js';

let server: FeedServer;
const opts: FetchOptions = { userAgent: 'xpears-test/1', timeoutMs: 2000, maxRedirects: 2, maxBodyBytes: 10_000 };
const noState = { etag: null, lastModified: null };
const source = (path: string, over: Partial<AdvisorySource> = {}): AdvisorySource =>
  ({ id: 's', vendor: 'eset', kind: 'rss', url: server.url(path), schedule: '* * * * *', enabled: true, ...over });

async function failure(p: Promise<unknown>): Promise<SourceFetchError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SourceFetchError) return err;
    throw err;
  }
  throw new Error('expected the fetch to fail');
}

beforeAll(async () => {
  server = await startFeedServer({
    '/feed': { file: 'welivesecurity.rss.xml', etag: '"v1"', lastModified: 'Thu, 19 Nov 2026 18:00:00 GMT' },
    '/r1': { redirectTo: '/r2' },
    '/r2': { redirectTo: '/feed' },
    '/r3': { redirectTo: '/r1' },
    '/forbidden': { status: 403, body: 'no' },
    '/broken': { status: 503, body: 'down' },
    '/big': { body: 'x'.repeat(20_000) },
    '/json': { file: 'broadcom-advisories.json', contentType: 'application/json' },
  });
});
afterAll(async () => server.close());

describe('fetchSource', () => {
  it('sends our User-Agent and returns the body with its validators', async () => {
    const got = await fetchSource(source('/feed'), noState, opts);
    expect(got).toMatchObject({ status: 'ok', etag: '"v1"', lastModified: 'Thu, 19 Nov 2026 18:00:00 GMT', charset: 'utf-8' });
    expect(got.status === 'ok' && got.text.includes('<rss')).toBe(true);
    expect(server.requests.at(-1)?.headers['user-agent']).toBe('xpears-test/1');
  });

  it('sends the stored validators and reads a 304 as not modified', async () => {
    const got = await fetchSource(source('/feed'), { etag: '"v1"', lastModified: null }, opts);
    expect(got).toEqual({ status: 'not-modified' });
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
    const byDate = await fetchSource(source('/feed'), { etag: null, lastModified: 'Thu, 19 Nov 2026 18:00:00 GMT' }, opts);
    expect(byDate).toEqual({ status: 'not-modified' });
  });

  it('follows redirects up to the bound and refuses one more', async () => {
    const got = await fetchSource(source('/r1'), noState, opts);
    expect(got.status === 'ok' && got.finalUrl).toBe(server.url('/feed'));
    const err = await failure(fetchSource(source('/r3'), noState, opts));
    expect(err.message).toMatch(/more than 2 redirects/);
  });

  it('sorts failures by reason', async () => {
    expect(await failure(fetchSource(source('/forbidden'), noState, opts))).toMatchObject({ reason: 'auth', httpStatus: 403 });
    expect(await failure(fetchSource(source('/broken'), noState, opts))).toMatchObject({ reason: 'server', httpStatus: 503 });
    expect(await failure(fetchSource(source('/missing'), noState, opts))).toMatchObject({ reason: 'client', httpStatus: 404 });
    expect((await failure(fetchSource(source('/big'), noState, opts))).message).toMatch(/larger than 10000 bytes/);
    const refused = await failure(fetchSource({ ...source('/feed'), url: 'http://127.0.0.1:1/feed' }, noState, opts));
    expect(refused.reason).toBe('network');
  });

  it('POSTs a source with a JSON body', async () => {
    const got = await fetchSource(source('/json', { kind: 'broadcom-json', body: '{"pageNumber":0}' }), noState, opts);
    expect(got.status).toBe('ok');
    const last = server.requests.at(-1);
    expect(last?.method).toBe('POST');
    expect(last?.headers['content-type']).toBe('application/json');
  });

  it('goes through the proxy of the configuration', async () => {
    const proxy = await startProxy();
    const dispatcher = createDispatcher(parseAdvisoriesConfig({ sources: [], proxy: proxy.url }));
    try {
      const got = await fetchSource(source('/feed'), noState, { ...opts, dispatcher });
      expect(got.status).toBe('ok');
      expect(proxy.hits.some((h) => h.includes('127.0.0.1'))).toBe(true);
    } finally {
      await dispatcher.close();
      await proxy.close();
    }
  });
});
