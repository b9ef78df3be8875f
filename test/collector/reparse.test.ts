// `xpears collector reparse` rebuilds the events of stored envelopes with the current parsers.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testCollector } from '../helpers/collector.js';
import { reparse } from '../../collector/pipeline/reparse.js';
import { ROOT } from '../e2e/harness.js';
import type { Envelope } from '../../protocol/envelope.js';

const fixture = (p: string) => JSON.parse(readFileSync(join(ROOT, 'test/fixtures', p), 'utf8')) as { envelope: Envelope };

describe('reparse', () => {
  it('replaces the events derived from each envelope, scoped by customer', async () => {
    const c = await testCollector();
    try {
      const post = (token: string, envelopes: Envelope[]) => c.app.inject({
        method: 'POST', url: '/v1/envelopes', headers: { authorization: `Bearer ${token}` }, payload: { protocol: 1, envelopes },
      });
      await post(c.tokenA, [fixture('eset/04-json-ransomware-occurred-spelling.json').envelope]);
      await post(c.tokenB, [fixture('symantec/syslog-risk-clean-failed.json').envelope]);
      const original = c.repo.listEvents({});
      expect(original.map((e) => e.eventType).sort()).not.toContain('unclassified');

      // What an older, weaker parser would have stored.
      c.db.prepare("UPDATE events SET event_type = 'unclassified', summary = 'old parser', detail = json_set(detail, '$.eventType', 'unclassified', '$.summary', 'old parser')").run();
      expect(c.repo.listEvents({}).every((e) => e.eventType === 'unclassified')).toBe(true);

      const acme = reparse(c.repo, c.registry, { customerId: 'acme' });
      expect(acme).toMatchObject({ envelopes: 1, changed: 1, unclassified: 0 });
      expect(c.repo.listEvents({ customerId: 'acme' })[0]!.eventType).toBe(original.find((e) => e.customerId === 'acme')!.eventType);
      expect(c.repo.listEvents({ customerId: 'globex' })[0]!.eventType).toBe('unclassified');

      const all = reparse(c.repo, c.registry, {});
      expect(all).toMatchObject({ envelopes: 2, changed: 1 });
      expect(c.repo.listEvents({}).map((e) => `${e.customerId}:${e.eventType}`).sort())
        .toEqual(original.map((e) => `${e.customerId}:${e.eventType}`).sort());
    } finally {
      await c.close();
    }
  });
});
