// Every SEPM fixture through the real front door (toParserInput → detection → parseSymantec): the corpus is the
// contract with what consoles send, so each file must stay a valid envelope and yield its expected events.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envelopeSchema } from '../../../protocol/envelope.js';
import { EVENT_TYPES, SEVERITIES } from '../../../protocol/event.js';
import { parseEnvelope } from '../index.js';

const DIR = join(import.meta.dirname, '../../../test/fixtures/symantec');

interface Fixture {
  description: string;
  synthetic: boolean;
  source: string;
  envelope: unknown;
  expected: Record<string, unknown>[];
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const fixtures = files.map((file) => ({ file, fixture: JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Fixture }));

describe('SEPM fixture corpus', () => {
  it('has at least 30 cases, syslog and e-mail, English and Spanish', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    expect(files.some((f) => f.startsWith('syslog-'))).toBe(true);
    expect(files.some((f) => f.startsWith('email-') && f.endsWith('-es.json'))).toBe(true);
    expect(files.some((f) => f.startsWith('email-') && !f.endsWith('-es.json'))).toBe(true);
  });

  it('marks every case as synthetic or not, with a source, and gives every case a distinct envelope id', () => {
    const ids = new Set<string>();
    for (const { fixture } of fixtures) {
      expect(typeof fixture.synthetic).toBe('boolean');
      expect(fixture.source.length).toBeGreaterThan(0);
      if (fixture.synthetic) expect(fixture.source).toMatch(/^synthetic/);
      ids.add(envelopeSchema.parse(fixture.envelope).id);
    }
    expect(ids.size).toBe(fixtures.length);
  });

  it.each(fixtures)('$file', ({ fixture }) => {
    const envelope = envelopeSchema.parse(fixture.envelope);
    const events = parseEnvelope(envelope);
    expect(events).toHaveLength(fixture.expected.length);
    expect(events).toMatchObject(fixture.expected);
    for (const event of events) {
      expect(event.vendor).toBe('symantec');
      expect(EVENT_TYPES).toContain(event.eventType);
      expect(SEVERITIES).toContain(event.severity);
      expect(event.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      expect(event.summary.length).toBeGreaterThan(10);
      expect(event.summary).not.toMatch(/\n/);
    }
  });
});
