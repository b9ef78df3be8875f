// Issue 18: the packaged agent's outbox runs on node:sqlite (packaging/sqlite-compat.ts), not better-sqlite3, and
// keeps the same guarantees: the outbox's own tests pass on the packaged runtime with the driver swapped, and a
// process killed (SIGKILL) while capturing loses no capture it had acknowledged.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bundleAgent, REPO } from '../../packaging/bundle.js';
import { NODE_VERSION } from '../../packaging/runtime.js';
import { tempDir } from '../e2e/harness.js';
import { packagedNode } from './harness.js';

const run = promisify(execFile);
let dir: ReturnType<typeof tempDir>;
let node: string;
let worker: string;

beforeAll(async () => {
  dir = tempDir('xpears-pkg-outbox-');
  node = packagedNode();
  worker = join(dir.path, 'worker.mjs');
  await bundleAgent({ outFile: worker, version: 'test', nodeMajor: Number(NODE_VERSION.split('.')[0]), entry: join(REPO, 'test/packaging/outbox-crash-worker.ts') });
}, 300_000);
afterAll(() => dir?.cleanup());

describe('the packaged outbox on node:sqlite', () => {
  it("passes the outbox's own tests on the packaged runtime with better-sqlite3 replaced", async () => {
    const { stdout } = await run(node, ['--disable-warning=ExperimentalWarning', join(REPO, 'node_modules/vitest/vitest.mjs'), 'run',
      '--config', join(REPO, 'packaging/vitest.node-sqlite.config.ts'), '--reporter', 'json'], { cwd: REPO, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { numTotalTests: number; numPassedTests: number; testResults: { name: string }[] };
    expect(report.numTotalTests).toBeGreaterThanOrEqual(12);
    expect(report.numPassedTests).toBe(report.numTotalTests);
    expect(report.testResults.map((r) => r.name).join(' ')).toContain('agent/outbox/outbox.test.ts');
  }, 120_000);

  it('loses no acknowledged capture when the process is killed mid-burst; WAL and synchronous=FULL', async () => {
    const file = join(dir.path, 'outbox.db');
    const child = spawn(node, ['--disable-warning=ExperimentalWarning', worker, 'capture', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.split('\n').length > 3000) { child.kill('SIGKILL'); resolve(); }
      });
    });
    await new Promise((r) => child.once('exit', r));
    const acked = out.split('\n').slice(0, -1).filter((l) => l.length === 36);
    expect(acked.length).toBeGreaterThanOrEqual(3000);
    const { stdout } = await run(node, ['--disable-warning=ExperimentalWarning', worker, 'check', file], { maxBuffer: 64 * 1024 * 1024 });
    const check = JSON.parse(stdout) as { journal: string; synchronous: number; ids: string[]; sqlite: string };
    expect(check.journal).toBe('wal');
    expect(check.synchronous).toBe(2);
    const kept = new Set(check.ids);
    expect(acked.filter((id) => !kept.has(id))).toEqual([]);
  }, 60_000);
});
