import { describe, it, expect } from 'vitest';
import { uuidv7 } from './ids.js';

describe('uuidv7', () => {
  it('is a valid version-7, variant-10 UUID carrying the millisecond time', () => {
    const id = uuidv7(Date.parse('2026-03-20T15:00:00.000Z'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2026-03-20T15:00:00.000Z'));
  });

  it('stays unique and sorted across many ids in one millisecond and across pool refills', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(Date.parse('2030-01-01T00:00:00.000Z')));
    expect(new Set(ids).size).toBe(5000);
    expect([...ids].sort()).toEqual(ids);
  });
});
