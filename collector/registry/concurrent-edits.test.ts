// Two editors of one registry file at the same moment (the CLI and the console inside the collector, each with its
// own copy in memory): every edit lands, none is overwritten by an older copy.
import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePlans } from '../../config/plans.js';
import { Registry } from './registry.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('concurrent registry edits', () => {
  it('two registries on one file adding customers and agents at once keep every edit', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xpears-registry-'));
    const path = join(dir, 'registry.json');
    const [cli, console] = [await Registry.open(path, resolvePlans()), await Registry.open(path, resolvePlans())];
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? cli : console).addCustomer({ id: `c${i}`, name: `C ${i}`, plan: 'basic' })));
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? cli : console).enrollAgent('c0')));
    const fresh = await Registry.open(path, resolvePlans());
    expect(fresh.listCustomers().map((c) => c.id).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `c${i}`).sort());
    expect(new Set(fresh.listAgents('c0').map((a) => a.id)).size).toBe(10);
    expect(new Set(tokens.map((t) => t.agent.id)).size).toBe(10);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('a registry that edits and re-reads at once (the console in the collector) ends with a copy as new as the file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xpears-registry-'));
    const path = join(dir, 'registry.json');
    const [collector, cli] = [await Registry.open(path, resolvePlans()), await Registry.open(path, resolvePlans())];
    await collector.addCustomer({ id: 'c', name: 'C', plan: 'basic' });
    // Each round the CLI changes the file, then the collector edits while a lookup re-reads the changed file.
    for (let i = 0; i < 15; i++) {
      await cli.enrollAgent('c');
      await Promise.all([collector.enrollAgent('c'), collector.refreshIfChanged(true)]);
    }
    expect((await Registry.open(path, resolvePlans())).listAgents('c')).toHaveLength(30);
    expect(collector.listAgents('c')).toHaveLength(30);
  });
});
