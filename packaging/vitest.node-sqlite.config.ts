// The outbox's own tests, run on the packaged runtime with better-sqlite3 replaced by packaging/sqlite-compat.ts
// (node:sqlite): the packaged agent's outbox keeps the same guarantees (test/packaging/outbox-node-sqlite.test.ts).
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const ROOT = join(import.meta.dirname, '..');

export default defineConfig({
  root: ROOT,
  resolve: { alias: { 'better-sqlite3': join(ROOT, 'packaging/sqlite-compat.ts') } },
  test: {
    include: ['agent/outbox/*.test.ts', 'agent/resume.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
