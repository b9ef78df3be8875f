// The registry's edits through the CLI that the console's Customers page shares (collector/registry/edits.ts): a
// contact changed (phone, language, titles; a general contact), a product removed with its designations, a plan the
// contacts do not fit refused with the limit named, and a date that is not one refused; each edit in the audit log
// as the CLI's actor (cli:<os user>).
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../e2e/harness.js';

const run = promisify(execFile);

describe('registry edit commands', () => {
  it('changes a contact, removes a product, refuses a plan its contacts do not fit and a date that is not one', async () => {
    const dir = tempDir('xpears-cli-edit-');
    const config = join(dir.path, 'collector.json');
    writeFileSync(config, JSON.stringify({ dataDir: join(dir.path, 'data') }));
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), ...args, '--config', config], { cwd: ROOT })
      .then((r) => ({ code: 0, out: r.stdout, err: r.stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }));
    try {
      expect((await cli('customer', 'add', '--id', 'pyme', '--name', 'Pyme SRL', '--plan', 'managed',
        '--product', 'eset:ESET PROTECT Entry:2027-01-31', '--product', 'symantec:Symantec Endpoint Protection:2027-06-30')).code).toBe(0);
      for (const name of ['ana', 'luis', 'sofia']) {
        expect((await cli('contact', 'add', '--customer', 'pyme', '--name', name, '--email', `${name}@pyme.com.ar`, '--product', 'ESET PROTECT Entry')).code).toBe(0);
      }
      const set = await cli('contact', 'set', 'pyme-c3', '--phone', '+54 11 4000-1234', '--language', 'en', '--product', 'Symantec Endpoint Protection');
      expect(set.out).toContain('contact pyme-c3 updated: Symantec Endpoint Protection');
      expect((await cli('contact', 'set', 'pyme-c2', '--general')).out).toContain('contact pyme-c2 updated: general contact');
      const badDate = await cli('customer', 'set', 'pyme', '--product', 'eset:ESET Inspect:2027-02-30');
      expect(badDate.code).not.toBe(0);
      expect(badDate.err).toContain('2027-02-30 is not a date (write YYYY-MM-DD)');
      expect((await cli('customer', 'set', 'pyme', '--remove-product', 'Symantec Endpoint Protection')).code).toBe(0);
      // Sofía, whose only title went, is a general contact now; designating all three for ESET is within Managed's 4, not Basic's 2.
      expect((await cli('contact', 'set', 'pyme-c2', '--product', 'ESET PROTECT Entry')).code).toBe(0);
      expect((await cli('contact', 'set', 'pyme-c3', '--product', 'ESET PROTECT Entry')).code).toBe(0);
      const refused = await cli('customer', 'set', 'pyme', '--plan', 'basic');
      expect(refused.code).not.toBe(0);
      expect(refused.err).toContain('the Basic plan allows 2 designated contacts for "ESET PROTECT Entry", and "pyme" has 3; remove some before changing the plan');
      const shown = JSON.parse((await cli('customer', 'show', 'pyme', '--json')).out) as { plan: string; products: { product: string }[]; contacts: { id: string; phone?: string; language: string; products: string[] }[] };
      expect(shown.plan).toBe('managed');
      expect(shown.products.map((p) => p.product)).toEqual(['ESET PROTECT Entry']);
      expect(shown.contacts.map((k) => [k.id, k.phone ?? null, k.language, k.products])).toEqual([
        ['pyme-c1', null, 'es', ['ESET PROTECT Entry']], ['pyme-c2', null, 'es', ['ESET PROTECT Entry']], ['pyme-c3', '+54 11 4000-1234', 'en', ['ESET PROTECT Entry']],
      ]);
      const audit = JSON.parse((await cli('audit', 'list', '--json')).out) as { actor: string; action: string; target: string; detail: string }[];
      expect(audit.every((a) => a.actor.startsWith('cli'))).toBe(true);
      expect(audit.map((a) => `${a.action} ${a.target} ${a.detail}`)).toEqual(expect.arrayContaining([
        'contact.update pyme pyme-c2 for no title (general)', 'product.remove pyme Symantec Endpoint Protection', 'customer.add pyme plan managed',
      ]));
      expect(audit.some((a) => a.action === 'customer.set')).toBe(false);
    } finally {
      dir.cleanup();
    }
  }, 240_000);
});
