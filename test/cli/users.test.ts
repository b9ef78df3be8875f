// `xpears user …` and `xpears audit list` as an operator runs them: the password from standard input (not a
// terminal), the list as JSON, a disable, and the audit log naming the CLI's user.
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../e2e/harness.js';

function cli(config: string, args: string[], input?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), ...args, '--config', config], { cwd: ROOT },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }));
    child.stdin?.end(input ?? '');
  });
}

describe('user commands', () => {
  it('adds an engineer with the password from stdin, lists, disables, and audits', async () => {
    const dir = tempDir('xpears-cli-users-');
    const config = join(dir.path, 'collector.json');
    writeFileSync(config, JSON.stringify({ dataDir: join(dir.path, 'data') }));
    try {
      const added = await cli(config, ['user', 'add', 'ana', '--name', 'Ana Líder', '--email', 'ana@cas.example', '--role', 'lead'], 'una clave larga 1\n');
      expect(added).toMatchObject({ code: 0, out: 'user ana added (lead)\n' });
      const short = await cli(config, ['user', 'add', 'leo', '--name', 'Leo', '--email', 'leo@cas.example', '--role', 'l1'], 'corta\n');
      expect(short.code).toBe(2);
      expect(short.err).toMatch(/at least 10 characters/);
      expect((await cli(config, ['user', 'disable', 'ana'])).code).toBe(0);
      const users = JSON.parse((await cli(config, ['user', 'list', '--json'])).out) as { login: string; role: string; disabledAt: string | null }[];
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ login: 'ana', role: 'lead' });
      expect(users[0]!.disabledAt).toBeTruthy();
      expect(JSON.stringify(users)).not.toContain('argon2');
      const audit = JSON.parse((await cli(config, ['audit', 'list', '--json'])).out) as { actor: string; action: string; target: string }[];
      expect(audit.map((e) => `${e.action} ${e.target}`)).toEqual(['user.disable ana', 'user.add ana']);
      expect(audit[0]!.actor).toMatch(/^cli/);
    } finally {
      dir.cleanup();
    }
  }, 120_000);
});
