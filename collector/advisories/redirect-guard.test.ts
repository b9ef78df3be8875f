// A feed's redirect into the provider's own network is not followed (issue 13, item 7): real HTTP servers on
// loopback, the configured source trusted as written, a redirect elsewhere to an internal address refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../../test/fixtures/feeds/feed-server.js';
import type { AdvisorySource } from './config.js';
import { parseAdvisoriesConfig } from './config.js';
import { fetchSource, SourceFetchError, type FetchOptions } from './fetch.js';
import { isInternalAddress, redirectRefusal } from './redirect-guard.js';

let feed: FeedServer;
let inside: FeedServer;
const opts: FetchOptions = { userAgent: 'xpears-test/1', timeoutMs: 2000, maxRedirects: 3, maxBodyBytes: 100_000 };
const noState = { etag: null, lastModified: null };
const source = (path: string): AdvisorySource => ({ id: 's', vendor: 'eset', kind: 'rss', url: feed.url(path), schedule: '* * * * *', enabled: true });

beforeAll(async () => {
  // `inside` stands for a service of the provider's network; `feed` for the source an operator configured.
  inside = await startFeedServer({ '/secret': { body: '<rss><channel><title>internal</title></channel></rss>' } });
  const insidePort = new URL(inside.url('/')).port;
  feed = await startFeedServer({
    '/to-localhost': { redirectTo: `http://localhost:${insidePort}/secret` },
    '/to-mapped': { redirectTo: `http://[::ffff:127.0.0.1]:${insidePort}/secret` },
    '/to-metadata': { redirectTo: 'http://169.254.169.254/latest/meta-data/' },
    '/to-private': { redirectTo: 'http://10.20.30.40/feed' },
    '/to-file': { redirectTo: 'file:///etc/passwd' },
    '/moved': { redirectTo: '/feed' },
    '/feed': { body: '<rss><channel><title>feed</title></channel></rss>' },
  });
});
afterAll(async () => { await feed.close(); await inside.close(); });

async function refusal(path: string, o: FetchOptions = opts): Promise<SourceFetchError> {
  const err = await fetchSource(source(path), noState, o).then(() => null, (e: unknown) => e);
  if (!(err instanceof SourceFetchError)) throw new Error(`expected a refusal, got ${String(err)}`);
  return err;
}

describe('redirects of advisory sources', () => {
  it('refuses redirects to loopback (by name and IPv4-mapped), link-local, private addresses and other schemes', async () => {
    for (const path of ['/to-localhost', '/to-mapped', '/to-metadata', '/to-private']) {
      const err = await refusal(path);
      expect(err.reason, path).toBe('client');
      expect(err.message, path).toContain('internal address, is not followed');
    }
    expect((await refusal('/to-file')).message).toContain('file: is not followed');
    expect(inside.requests).toEqual([]); // nothing reached the inside
  });

  it('follows a redirect on the configured host itself, and an internal one when the setting allows it', async () => {
    expect(await fetchSource(source('/moved'), noState, opts)).toMatchObject({ status: 'ok', finalUrl: feed.url('/feed') });
    const allowed = await fetchSource(source('/to-localhost'), noState, { ...opts, allowPrivateRedirects: true });
    expect(allowed).toMatchObject({ status: 'ok' });
    expect(inside.requests.map((r) => r.path)).toEqual(['/secret']);
  });

  it('is off by default in the configuration and can be turned on', () => {
    expect(parseAdvisoriesConfig({}).allowPrivateRedirects).toBe(false);
    expect(parseAdvisoriesConfig({ allowPrivateRedirects: true }).allowPrivateRedirects).toBe(true);
  });
});

describe('isInternalAddress and name resolution', () => {
  it('sorts addresses', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '::1', '::', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '224.0.0.1']) expect(isInternalAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(isInternalAddress(a), a).toBe(false);
  });

  it('checks every address a name resolves to', async () => {
    const policy = { allowPrivate: false, sourceHost: 'feeds.example' };
    expect(await redirectRefusal('https://cdn.example/x', policy, async () => ['93.184.216.34'])).toBeNull();
    expect(await redirectRefusal('https://cdn.example/x', policy, async () => ['93.184.216.34', '10.0.0.9'])).toContain('10.0.0.9');
  });
});
