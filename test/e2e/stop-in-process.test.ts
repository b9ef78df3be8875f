// A collector's and an agent's stop() called in a process where nothing else is alive (no CLI deadline timer, no test
// runner): each resolves, and the process then exits by itself with code 0. Before the checkpointer held the loop
// while waiting for its thread, the collector's stop left the loop empty and Node ended the process with code 13.
import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, tempDir } from './harness.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });

describe('stop() in a process with nothing else alive', () => {
  it('the agent and the collector stop, and the process exits 0 by itself', { timeout: 90_000 }, async () => {
    const dir = tempDir('xpears-stop-in-process-');
    cleanups.push(dir.cleanup);
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/e2e/stop-in-process.child.ts'), dir.path], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => { output += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { output += b.toString(); });
    // No kill: a process that does not exit by itself (a handle left open) fails this test by its timeout.
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(output).toContain('collector stop resolved');
    expect({ code, output }).toMatchObject({ code: 0 });
  });
});
