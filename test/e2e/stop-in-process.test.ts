// A collector's and an agent's stop() called in a process where nothing else is alive (no CLI deadline timer, no test
// runner): each resolves, and the process then exits by itself with code 0. Before the checkpointer held the loop
// while waiting for its thread, the collector's stop left the loop empty and Node ended the process with code 13.
// And a collector whose start fails exits by itself: the checkpoint thread, begun before the port is tried, was
// ref'd again by its 'message' listener and kept the failed process alive for ever.
import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { ROOT, enrollAcme, spawnCollector, tempDir } from './harness.js';

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

  it('a collector whose start fails (its port taken) says why and exits 1 by itself', { timeout: 90_000 }, async () => {
    const dir = tempDir('xpears-start-fails-');
    cleanups.push(dir.cleanup);
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    cleanups.push(() => { taken.close(); });
    const dataDir = join(dir.path, 'collector');
    await enrollAcme(dataDir);
    const configFile = join(dir.path, 'collector.json');
    // One ingest worker: the checkpoint thread is started before the port is tried, and must not hold the process.
    writeFileSync(configFile, JSON.stringify({ dataDir, listen: { address: '127.0.0.1', port: (taken.address() as { port: number }).port },
      advisories: { enabled: false }, ingest: { workers: 1 } }));
    const child = spawnCollector(configFile);
    cleanups.push(() => { child.kill('SIGKILL'); });
    let output = '';
    child.stderr!.on('data', (b: Buffer) => { output += b.toString(); });
    // No kill: a process kept alive by a handle fails this test by its timeout.
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect({ code, said: output.includes('EADDRINUSE') }).toEqual({ code: 1, said: true });
  });
});
