// The registry through the CLI, as an operator uses it: customers, designated contacts within the plan's limit,
// agents enrolled and revoked; listing commands print JSON arrays with --json.
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../e2e/harness.js';

const run = promisify(execFile);

describe('registry commands', () => {
  it('adds customers and contacts within the plan limit, enrolls and revokes agents', async () => {
    const dir = tempDir('xpears-cli-');
    const config = join(dir.path, 'collector.json');
    writeFileSync(config, JSON.stringify({ dataDir: join(dir.path, 'data') }));
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), ...args, '--config', config], { cwd: ROOT })
      .then((r) => ({ code: 0, out: r.stdout, err: r.stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }));
    try {
      expect((await cli('customer', 'add', '--id', 'pyme', '--name', 'Pyme SRL', '--plan', 'basic', '--product', 'eset:ESET PROTECT Entry:2027-01-31')).code).toBe(0);
      expect((await cli('customer', 'add', '--id', 'pyme', '--name', 'Otra', '--plan', 'basic')).err).toMatch(/exists already/);
      expect((await cli('customer', 'add', '--id', 'x', '--name', 'X', '--plan', 'gold')).err).toMatch(/unknown plan "gold"/);

      for (const name of ['Ana', 'Luis']) {
        expect((await cli('contact', 'add', '--customer', 'pyme', '--name', name, '--email', `${name.toLowerCase()}@pyme.com.ar`)).code).toBe(0);
      }
      const third = await cli('contact', 'add', '--customer', 'pyme', '--name', 'Sofía', '--email', 'sofia@pyme.com.ar');
      expect(third.code).toBe(1);
      expect(third.err).toMatch(/the Basic plan allows 2 designated contacts for "ESET PROTECT Entry"/);

      // Managed allows four: moving the customer to it lets the third in.
      expect((await cli('customer', 'set', 'pyme', '--plan', 'managed')).code).toBe(0);
      expect((await cli('contact', 'add', '--customer', 'pyme', '--name', 'Sofía', '--email', 'sofia@pyme.com.ar', '--language', 'en')).code).toBe(0);

      const enrolled = await cli('agent', 'enroll', '--customer', 'pyme', '--vendor', 'eset');
      const token = /token \(shown once; only its hash is kept\): (xpr_\S+)/.exec(enrolled.out)?.[1];
      expect(token).toBeDefined();
      expect(readFileSync(join(dir.path, 'data', 'registry.json'), 'utf8')).not.toContain(token!);

      const customers = JSON.parse((await cli('customer', 'list', '--json')).out) as { id: string; plan: string; contacts: { language: string }[] }[];
      expect(Array.isArray(customers)).toBe(true);
      expect(customers).toHaveLength(1);
      expect(customers[0]).toMatchObject({ id: 'pyme', plan: 'managed' });
      expect(customers[0]!.contacts.map((c) => c.language)).toEqual(['es', 'es', 'en']);

      const agents = JSON.parse((await cli('agent', 'list', '--json')).out) as { id: string; revokedAt?: string; tokenHash?: string }[];
      expect(agents).toHaveLength(1);
      expect(agents[0]).not.toHaveProperty('tokenHash');
      expect((await cli('agent', 'revoke', agents[0]!.id)).code).toBe(0);
      const after = JSON.parse((await cli('agent', 'list', '--json')).out) as { revokedAt?: string }[];
      expect(after[0]!.revokedAt).toBeTruthy();
      expect(JSON.parse((await cli('event', 'list', '--json')).out)).toEqual([]);
    } finally {
      dir.cleanup();
    }
  }, 180_000); // about 15 CLI processes, each compiling the CLI through tsx: 2 s apiece on a quiet machine, far more on a loaded one
});
