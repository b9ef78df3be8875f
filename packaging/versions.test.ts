// The version order `xpears agent list --outdated` relies on.
import { describe, it, expect } from 'vitest';
import { compareVersions } from './versions.js';

describe('compareVersions', () => {
  it('orders numerically, releases after their pre-releases', () => {
    expect(compareVersions('1.10.0', '1.9.2')).toBe(1);
    expect(compareVersions('0.1.0', '0.1.0')).toBe(0);
    expect(compareVersions('2.0.0', '2.0.1')).toBe(-1);
    expect(compareVersions('2.0.0-rc.1', '2.0.0')).toBe(-1);
    expect(['1.4.0', '0.9.9', '1.10.0', '1.4.0-beta'].sort(compareVersions)).toEqual(['0.9.9', '1.4.0-beta', '1.4.0', '1.10.0']);
  });
});
