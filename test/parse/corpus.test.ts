// The fixture corpus: every capture under test/fixtures/{eset,symantec}/ goes through the real front door
// (parseEnvelope) and must yield exactly the expected events. A fixture is
// { description, synthetic, source, envelope, expected: Partial<ParsedEvent>[], hint? }.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envelopeSchema } from '../../protocol/envelope.js';
import { ACTIONS, EVENT_TYPES, SEVERITIES, VENDORS } from '../../protocol/event.js';
import { parseEnvelope, rawText } from '../../collector/parse/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const VENDOR_DIRS = ['eset', 'symantec'] as const;
const MINIMUM_CORPUS = 60;

interface Fixture {
  file: string;
  description: string;
  synthetic: boolean;
  source: string;
  envelope: unknown;
  expected: Record<string, unknown>[];
  hint?: 'eset' | 'symantec';
}

function loadFixtures(dir: string): Fixture[] {
  const path = join(FIXTURES, dir);
  if (!existsSync(path)) return [];
  return readdirSync(path)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ file: `${dir}/${name}`, ...(JSON.parse(readFileSync(join(path, name), 'utf8')) as Omit<Fixture, 'file'>) }));
}

const corpus = VENDOR_DIRS.map((dir) => ({ dir, fixtures: loadFixtures(dir) }));

for (const { dir, fixtures } of corpus) {
  describe(`fixture corpus: ${dir}`, () => {
    if (fixtures.length === 0) it.skip(`has no fixtures yet under test/fixtures/${dir}`, () => undefined);
    for (const fixture of fixtures) {
      it(`${fixture.file}: ${fixture.description}`, () => {
        expect(typeof fixture.description).toBe('string');
        expect(typeof fixture.synthetic).toBe('boolean');
        expect(fixture.source.length).toBeGreaterThan(0);
        const envelope = envelopeSchema.parse(fixture.envelope);
        const events = parseEnvelope(envelope, fixture.hint);
        expect(events).toHaveLength(fixture.expected.length);
        events.forEach((event, i) => {
          expect(event).toMatchObject(fixture.expected[i] ?? {});
          expect(VENDORS).toContain(event.vendor);
          expect(EVENT_TYPES).toContain(event.eventType);
          expect(SEVERITIES).toContain(event.severity);
          if (event.action !== undefined) expect(ACTIONS).toContain(event.action);
          expect(new Date(event.occurredAt).toISOString()).toBe(event.occurredAt);
          expect(event.summary.length).toBeGreaterThan(0);
          expect(event.summary).not.toContain('\n');
        });
        expect(rawText(envelope).length).toBeGreaterThan(0);
      });
    }
  });
}

describe('fixture corpus size', () => {
  const symantecPresent = existsSync(join(FIXTURES, 'symantec'));
  if (!symantecPresent) console.log('corpus size check skipped: test/fixtures/symantec/ does not exist yet');
  it.skipIf(!symantecPresent)(`holds at least ${MINIMUM_CORPUS} cases across vendors`, () => {
    const total = corpus.reduce((sum, { fixtures }) => sum + fixtures.length, 0);
    expect(total).toBeGreaterThanOrEqual(MINIMUM_CORPUS);
  });

  it('covers every ESET wire format', () => {
    const formats = new Set(
      (corpus.find((c) => c.dir === 'eset')?.fixtures ?? []).flatMap((f) => f.expected.map((e) => String(e.format))),
    );
    for (const format of ['eset/json', 'eset/cef', 'eset/leef', 'eset/text-en', 'eset/text-es', 'eset/heartbeat']) {
      expect(formats).toContain(format);
    }
  });
});
