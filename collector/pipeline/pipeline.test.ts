import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STAGE_NAMES } from './pipeline.js';

const doc = readFileSync(new URL('../../docs/pipeline.md', import.meta.url), 'utf8');

// The rows of the stage table: "| # | name | …".
function documentedStages(): string[] {
  return [...doc.matchAll(/^\|\s*(\d+)\s*\|\s*([a-z-]+)\s*\|/gm)].map((m) => m[2]!);
}

describe('the pipeline as docs/pipeline.md lists it', () => {
  it('lists every stage of the code, in the order the code runs them', () => {
    expect(documentedStages()).toEqual([...STAGE_NAMES]);
  });

  it('names each stage once', () => {
    expect(new Set(STAGE_NAMES).size).toBe(STAGE_NAMES.length);
  });
});
