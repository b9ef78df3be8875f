// Issue 18: `xpears agent enroll --customer ID --package linux|windows` builds a package that carries the collector's
// URL and the agent's one-time token, so the customer's staff types nothing secret; a wrong --package costs no token.
import { describe, it, expect, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { agentConfigSchema, type AgentConfig } from '../../agent/config.js';
import { hashToken } from '../../collector/registry/tokens.js';
import { enrolledConfig } from '../../packaging/enrol.js';
import { firewallPlan } from '../../packaging/firewall-plan.js';
import { ROOT, tempDir } from '../e2e/harness.js';

const run = promisify(execFile);
const dir = tempDir('xpears-pkg-enrol-');
afterAll(() => dir.cleanup());

describe('enrolling an agent with a package', () => {
  it('builds a Linux package carrying the URL and the token; a wrong --package enrolls nothing', async () => {
    const config = join(dir.path, 'collector.json');
    writeFileSync(config, JSON.stringify({ dataDir: join(dir.path, 'data') }));
    const out = join(dir.path, 'packages');
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), ...args, '--config', config], { cwd: ROOT, env: { ...process.env, XPEARS_PACKAGE_OUT: out } })
      .then((r) => ({ code: 0, out: r.stdout, err: r.stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }));
    expect((await cli('customer', 'add', '--id', 'acme', '--name', 'Acme SA', '--plan', 'basic')).code).toBe(0);
    const wrong = await cli('agent', 'enroll', '--customer', 'acme', '--package', 'macos', '--collector-url', 'https://c.example');
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toMatch(/--package must be windows or linux/);
    expect((await cli('agent', 'enroll', '--customer', 'acme', '--package', 'linux')).err).toMatch(/--package needs --collector-url/);
    expect(JSON.parse((await cli('agent', 'list', '--json')).out)).toEqual([]);

    const r = await cli('agent', 'enroll', '--customer', 'acme', '--package', 'linux', '--collector-url', 'https://collector.example:8443');
    expect(r.code, r.err).toBe(0);
    const name = 'xpears-agent-0.1.0-linux-x64-acme';
    expect(r.out).toContain(`install on the customer's server: tar xzf ${name}.tar.gz && sudo ./${name}/install.sh`);
    expect(r.out).not.toMatch(/token \(shown once/);
    const { stdout: listing } = await run('tar', ['-tvzf', join(out, `${name}.tar.gz`)]);
    expect(listing).toMatch(new RegExp(`-rw------- .* ${name}/share/enrolment/token`));
    await run('tar', ['-xzf', join(out, `${name}.tar.gz`), '-C', dir.path, `${name}/share/enrolment`]);
    const token = readFileSync(join(dir.path, name, 'share/enrolment/token'), 'utf8').trim();
    const agents = (JSON.parse(readFileSync(join(dir.path, 'data/registry.json'), 'utf8')) as { agents: { customerId: string; tokenHash: string }[] }).agents;
    expect(agents.map((a) => a.customerId)).toEqual(['acme']);
    expect(agents[0]!.tokenHash).toBe(hashToken(token));
    const yaml = parse(readFileSync(join(dir.path, name, 'share/enrolment/agent.yaml'), 'utf8')) as unknown;
    const parsed = agentConfigSchema.parse(yaml);
    expect(parsed.collector).toMatchObject({ url: 'https://collector.example:8443', tokenFile: '/etc/xpears-agent/token' });
    expect(r.out).toContain(`SNMP community to set in the console: ${parsed.receivers.snmp!.communities[0]}`);
    // Never heard from: listed among the agents older than the newest package; not older than itself when it reports.
    const outdated = JSON.parse((await cli('agent', 'list', '--outdated', '9.9.9', '--json')).out) as { customerId: string; agentVersion: string | null }[];
    expect(outdated.map((a) => [a.customerId, a.agentVersion])).toEqual([['acme', null]]);
  }, 120_000);

  it('a Windows enrolment listens on loopback except SNMP from the console, so the firewall opens only that', () => {
    const text = enrolledConfig({ platform: 'windows', customerId: 'acme', collectorUrl: 'https://c.example', token: 't', version: '1', outDir: '.', consoleAddress: '10.1.2.3' }, 'xp-community');
    const config = agentConfigSchema.parse(parse(text)) as AgentConfig;
    expect(config.dataDir).toBe('C:/ProgramData/xpears-agent');
    expect(config.collector.tokenFile).toBe('C:/ProgramData/xpears-agent/token');
    expect(firewallPlan(config)).toEqual([{ name: 'snmp', protocol: 'UDP', port: 162, remote: ['10.1.2.3/32'] }]);
  });
});
