// Data at rest (issue 13, item 6): what `xpears customer add`, `agent enroll` and `collector start` create is 0600 in
// 0700 folders (databases with their WAL and SHM, the registry, the admin token), an archived report too, and
// `xpears collector status` names whatever other users can read.
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir, waitForOutput } from '../e2e/harness.js';
import { archiveReport } from '../../reports/archive.js';
import { uuidv7 } from '../../lib/ids.js';

const CLI = ['--import', 'tsx', join(ROOT, 'bin/xpears.ts')];

function xpears(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, XPEARS_LOG_LEVEL: 'warn' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Every path under `root` (itself included) with its permission bits, folders marked. */
function modes(root: string): { path: string; mode: number; dir: boolean }[] {
  const st = statSync(root);
  const here = { path: root, mode: st.mode & 0o777, dir: st.isDirectory() };
  if (!here.dir) return [here];
  return [here, ...readdirSync(root).flatMap((name) => modes(join(root, name)))];
}

describe('files at rest', () => {
  it('are created 0600 in 0700 folders by the CLI and the running collector; status names any other users can read', async () => {
    const dir = tempDir('xpears-at-rest-');
    const data = join(dir.path, 'data');
    const dataDir = join(data, 'collector'); // not there yet: the CLI makes both folders
    const cfg = join(dir.path, 'collector.json');
    writeFileSync(cfg, JSON.stringify({ dataDir, listen: { address: '127.0.0.1', port: 0 }, advisories: { enabled: false }, reports: { enabled: false } }));
    const collector = { child: undefined as ReturnType<typeof spawn> | undefined };
    try {
      expect(xpears(['customer', 'add', '--id', 'acme', '--name', 'Acme SA', '--plan', 'managed', '--config', cfg]).status).toBe(0);
      const enrolled = xpears(['agent', 'enroll', '--customer', 'acme', '--config', cfg]);
      const token = /token \(shown once[^:]*\): (\S+)/.exec(enrolled.out)?.[1];
      expect(token, enrolled.out).toBeDefined();

      const child = spawn(process.execPath, [...CLI, 'collector', 'start', '--config', cfg], {
        cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XPEARS_LOG_LEVEL: 'info' },
      });
      collector.child = child;
      let log = '';
      child.stdout.on('data', (b: Buffer) => { log += b.toString(); });
      await waitForOutput(child, 'collector listening', 60_000);
      const url = /"url":"(http:\/\/[^"]+)"/.exec(log)?.[1];
      const e = { id: uuidv7(), capturedAt: new Date().toISOString(), transport: 'syslog', source: { address: '10.0.0.5', port: 514 }, syslog: { protocol: 'udp', line: '<134>Mar 20 15:00:01 era01 ERAServer: hello' } };
      const res = await fetch(`${url}/v1/envelopes`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ protocol: 1, envelopes: [e] }),
      });
      expect(res.status).toBe(200);
      // A report archived by this process, whose umask was not narrowed: the archive sets the modes itself.
      archiveReport(dataDir, 'acme', '2026-03', Buffer.from('%PDF-1.4 test'));

      const found = modes(data);
      const names = found.map((f) => f.path.slice(data.length));
      for (const f of ['/collector/collector.db', '/collector/collector.db-wal', '/collector/collector.db-shm', '/collector/registry.json',
        '/collector/admin.token', '/collector/reports/acme/2026-03.pdf']) expect(names).toContain(f);
      expect(found.filter((f) => f.mode !== (f.dir ? 0o700 : 0o600)).map((f) => `${f.path} ${f.mode.toString(8)}`)).toEqual([]);

      const quiet = xpears(['collector', 'status', '--config', cfg]);
      expect(quiet.out).not.toContain('readable by other users');
      chmodSync(join(dataDir, 'registry.json'), 0o644);
      chmodSync(join(dataDir, 'reports'), 0o755);
      const warned = xpears(['collector', 'status', '--config', cfg]);
      expect(warned.status).toBe(1);
      expect(warned.out).toContain('2 data files or folders are readable by other users');
      expect(warned.out).toContain(`${join(dataDir, 'registry.json')} (0644)`);
      expect(warned.out).toContain(`${join(dataDir, 'reports')} (0755)`);
    } finally {
      if (collector.child && collector.child.exitCode === null) {
        const exited = new Promise((r) => collector.child!.once('exit', r));
        collector.child.kill('SIGTERM');
        await exited;
      }
      dir.cleanup();
    }
  }, 120_000);
});
