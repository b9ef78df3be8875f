import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../e2e/harness.js';

const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), ...args], { cwd: ROOT })
  .then((r) => ({ code: 0, out: r.stdout + r.stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }));

describe('xpears config check', () => {
  it('accepts the commented examples shipped in config/', async () => {
    expect(await cli('config', 'check', 'config/agent.example.yaml')).toMatchObject({ code: 0, out: expect.stringContaining('a valid agent configuration') });
    expect(await cli('config', 'check', 'config/collector.example.yaml')).toMatchObject({ code: 0, out: expect.stringContaining('a valid collector configuration') });
  });

  it('prints every problem with its dotted path and a hint, and exits 2', async () => {
    const dir = tempDir('xpears-config-');
    const file = join(dir.path, 'agent.yaml');
    writeFileSync(file, [
      'collector:', '  url: not-a-url', '  token: short', 'forwarder:', '  batchSiz: 10',
      'receivers:', '  snmp:', '    port: 99999', '    users: [{ name: u, level: authPriv, authKey: k }]',
    ].join('\n'));
    const r = await cli('config', 'check', file, '--kind', 'agent');
    dir.cleanup();
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/collector\.url: .*URL/);
    expect(r.out).toMatch(/collector\.token: /);
    expect(r.out).toMatch(/forwarder\.batchSiz: unknown setting \(remove it, or check its spelling/);
    expect(r.out).toMatch(/receivers\.snmp\.port: .*\(maximum 65535\)/);
    expect(r.out).toMatch(/receivers\.snmp\.users\.0\.authKey: .*8 characters/);
    expect(r.out).toMatch(/receivers\.snmp\.users\.0\.privKey: authPriv needs a privKey/);
  });

  it('names a file that is not YAML', async () => {
    const dir = tempDir('xpears-config-');
    const file = join(dir.path, 'c.yaml');
    writeFileSync(file, 'listen: [unclosed');
    const r = await cli('config', 'check', file);
    dir.cleanup();
    expect(r.code).toBe(2);
    expect(r.out).toContain('is not valid YAML');
  });
});
