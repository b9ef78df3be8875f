// The advisory configuration: shipped defaults valid, unknown keys and bad values rejected with their path.
import { describe, expect, it } from 'vitest';
import { XpearsError } from '../../lib/errors.js';
import { defaultAdvisoriesConfig, parseAdvisoriesConfig } from './config.js';

const source = { id: 's1', vendor: 'eset', kind: 'rss', url: 'http://127.0.0.1/feed', schedule: '*/5 * * * *' };

describe('advisories configuration', () => {
  it('ships valid defaults with the researched sources', () => {
    const config = defaultAdvisoriesConfig();
    expect(config.sources.map((s) => s.id)).toContain('cisa-kev');
    expect(config.sources.find((s) => s.id === 'broadcom-security-advisories')).toMatchObject({ kind: 'broadcom-json', productFilter: ['Symantec'] });
    expect(config.holdForReview).toEqual([]);
    expect(config.digest).toEqual({ hour: 8, zone: 'America/Argentina/Buenos_Aires' });
    expect(Object.isFrozen(config.sources[0])).toBe(true);
  });

  it('fills defaults around the sources an operator writes', () => {
    const config = parseAdvisoriesConfig({ sources: [source] });
    expect(config).toMatchObject({ timeoutMs: 20_000, maxRedirects: 5, maxAgeDays: 14, sources: [{ id: 's1', enabled: true }] });
    // No sources key: the shipped list.
    expect(parseAdvisoriesConfig({}).sources.length).toBeGreaterThan(3);
  });

  it('lists every problem with its dotted path', () => {
    let error: unknown;
    try {
      parseAdvisoriesConfig({
        sources: [{ ...source, schedule: 'every minute' }, { ...source, kind: 'html', colour: 'red' }],
        holdForReview: ['urgent'], digest: { hour: 25 },
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(XpearsError);
    const problems = (error as XpearsError).details as string[];
    expect(problems.some((p) => p.startsWith('advisories.sources.0.schedule'))).toBe(true);
    expect(problems.some((p) => p.startsWith('advisories.sources.1.kind'))).toBe(true);
    expect(problems.some((p) => p.startsWith('advisories.sources.1') && p.includes('colour'))).toBe(true);
    expect(problems.some((p) => p.startsWith('advisories.holdForReview.0'))).toBe(true);
    expect(problems.some((p) => p.startsWith('advisories.digest.hour'))).toBe(true);
  });

  it('rejects two sources with one id', () => {
    expect(() => parseAdvisoriesConfig({ sources: [source, source] })).toThrow(/used twice/);
  });
});
