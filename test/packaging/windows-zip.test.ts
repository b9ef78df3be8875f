// Issue 18: the Windows zip, checked as far as this Linux machine allows: its layout, its node.exe and WinSW being
// Windows executables of the expected versions, its bundled agent run under the Linux runtime of the same Node
// version (version, firewall plan, start and health), the WinSW XML parsed, the PowerShell scripts scanned (no pwsh
// here: a syntax scan, said so in docs/install-agent.md). Nothing here runs on Windows itself.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildPackages } from '../../packaging/build.js';
import { NODE_VERSION } from '../../packaging/runtime.js';
import { tempDir } from '../e2e/harness.js';
import { freeTcpPort, packagedNode } from './harness.js';
import { scanPowerShell } from './ps-scan.js';
import { parseXml } from './xml-scan.js';

const run = promisify(execFile);
const VERSION = '1.5.0';
const NAME = `xpears-agent-${VERSION}-win-x64`;
let dir: ReturnType<typeof tempDir>;
let top: string;
let zip: string;

beforeAll(async () => {
  dir = tempDir('xpears-pkg-win-');
  zip = (await buildPackages({ version: VERSION, outDir: join(dir.path, 'out'), only: 'windows' })).zip!;
  await run('unzip', ['-q', zip, '-d', join(dir.path, 'x')]);
  top = join(dir.path, 'x', NAME);
}, 300_000);
afterAll(() => dir?.cleanup());

const file = (p: string) => join(top, p);

describe('the Windows zip', () => {
  it('holds the runtime, the bundle, WinSW with its XML and the scripts', async () => {
    expect(zip).toMatch(new RegExp(`${NAME}\\.zip$`));
    const { stdout } = await run('unzip', ['-Z1', zip]);
    const entries = new Set(stdout.trim().split('\n'));
    for (const p of ['node/node.exe', 'node/LICENSE.txt', 'lib/agent.mjs', 'service/xpears-agent.exe', 'service/xpears-agent.xml',
      'install.ps1', 'uninstall.ps1', 'agent.yaml.example', 'VERSION', 'install-agent.md']) {
      expect(entries.has(`${NAME}/${p}`), p).toBe(true);
    }
    expect([...entries].some((e) => /better-sqlite3|\.node$/.test(e))).toBe(false);
    const nodeExe = readFileSync(file('node/node.exe'));
    expect(nodeExe.subarray(0, 2).toString()).toBe('MZ');
    expect(nodeExe.includes(`v${NODE_VERSION}`)).toBe(true);
    const winsw = readFileSync(file('service/xpears-agent.exe'));
    expect(winsw.subarray(0, 2).toString()).toBe('MZ');
    expect(winsw.includes(Buffer.from('winsw', 'utf16le'))).toBe(true);
    expect(readFileSync(file('agent.yaml.example'), 'utf8')).toContain('dataDir: C:/ProgramData/xpears-agent');
  });

  it('its bundled agent runs under the Linux runtime of the same Node version', async () => {
    const node = packagedNode();
    expect((await run(node, ['--version'])).stdout.trim()).toBe(`v${NODE_VERSION}`);
    expect((await run(node, [file('lib/agent.mjs'), 'version'])).stdout.trim()).toBe(VERSION);
    const config = join(dir.path, 'agent.json');
    writeFileSync(config, JSON.stringify({
      dataDir: join(dir.path, 'data'), collector: { url: 'http://127.0.0.1:9', token: 'x'.repeat(32) }, status: { port: 0 },
      receivers: {
        snmp: { address: '0.0.0.0', port: 162, communities: ['c'], allowedNetworks: ['127.0.0.1/32', '10.0.0.5/32'] },
        smtp: { host: '127.0.0.1', port: 2525, recipients: { addresses: ['a@b.example'], domains: [] } },
        syslog: { tcp: { host: '0.0.0.0', port: 1514 }, allowedNetworks: ['10.0.0.0/8'] },
      },
    }));
    const plan = JSON.parse((await run(node, [file('lib/agent.mjs'), 'firewall-plan', '--config', config])).stdout) as unknown[];
    expect(plan).toEqual([
      { name: 'snmp', protocol: 'UDP', port: 162, remote: ['10.0.0.5/32'] },
      { name: 'syslog-tcp', protocol: 'TCP', port: 1514, remote: ['10.0.0.0/8'] },
    ]);
  });

  it('its bundled agent starts on the Linux runtime and answers healthy with its version', async () => {
    const node = packagedNode();
    const config = join(dir.path, 'start.json');
    writeFileSync(config, JSON.stringify({
      dataDir: join(dir.path, 'start-data'), collector: { url: 'http://127.0.0.1:9', token: 'x'.repeat(32) }, status: { port: await freeTcpPort() },
      receivers: { syslog: { udp: { host: '127.0.0.1', port: 0 } } },
    }));
    const child = spawn(node, ['--disable-warning=ExperimentalWarning', file('lib/agent.mjs'), 'start', '--config', config], { stdio: 'ignore' });
    try {
      const r = await run(node, [file('lib/agent.mjs'), 'health', '--config', config, '--expect-version', VERSION, '--timeout', '20']);
      expect(r.stdout).toContain(`healthy: version ${VERSION}`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);

  it('on probation (just upgraded) it runs without receivers until the probation file is removed', async () => {
    const node = packagedNode();
    const data = join(dir.path, 'probation-data');
    mkdirSync(data);
    const probation = join(data, 'upgrade-probation');
    writeFileSync(probation, '');
    const config = join(dir.path, 'probation.json');
    const syslogPort = await freeTcpPort();
    writeFileSync(config, JSON.stringify({
      dataDir: data, collector: { url: 'http://127.0.0.1:9', token: 'x'.repeat(32) }, status: { port: await freeTcpPort() },
      receivers: { syslog: { tcp: { host: '127.0.0.1', port: syslogPort } } },
    }));
    const health = (...extra: string[]) => run(node, [file('lib/agent.mjs'), 'health', '--config', config, '--expect-version', VERSION, ...extra])
      .then((r) => ({ code: 0, out: r.stdout }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }));
    const child = spawn(node, ['--disable-warning=ExperimentalWarning', file('lib/agent.mjs'), 'start', '--config', config], { stdio: 'ignore' });
    try {
      expect((await health('--timeout', '20')).out).toContain(`healthy: version ${VERSION}`);
      expect(await health('--receivers', '--timeout', '2')).toEqual({ code: 1, out: expect.stringContaining('0 of 1 receivers listening') as unknown as string });
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect(syslogPort, '127.0.0.1').once('connect', () => { s.destroy(); resolve(false); }).once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
      rmSync(probation);
      expect((await health('--receivers', '--timeout', '20')).out).toContain(`healthy: version ${VERSION}, receivers listening`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);

  it('the WinSW XML is well formed and describes an automatic service that restarts and rotates its logs', () => {
    const els = parseXml(readFileSync(file('service/xpears-agent.xml'), 'utf8'));
    const text = (p: string) => els.find((e) => e.path === p)?.text;
    expect(text('service/id')).toBe('xpears-agent');
    expect(text('service/executable')).toBe('%ProgramFiles%\\xpears-agent\\current\\node\\node.exe');
    expect(text('service/arguments')).toContain('lib\\agent.mjs" start --config "%ProgramData%\\xpears-agent\\agent.yaml"');
    expect(text('service/startmode')).toBe('Automatic');
    expect(els.filter((e) => e.path === 'service/onfailure').map((e) => e.attributes.action)).toEqual(['restart', 'restart', 'restart']);
    expect(els.find((e) => e.path === 'service/log')?.attributes.mode).toBe('roll-by-size');
    expect(text('service/log/keepFiles')).toBe('8');
    expect(text('service/logpath')).toBe('%ProgramData%\\xpears-agent\\logs');
    expect(() => parseXml('<service><id>x</service>')).toThrow(/closes/);
  });

  it('the PowerShell scripts pass the syntax scan and do what the issue asks (ACLs, firewall, event log)', () => {
    const install = readFileSync(file('install.ps1'), 'utf8');
    const uninstall = readFileSync(file('uninstall.ps1'), 'utf8');
    expect(scanPowerShell(install)).toEqual([]);
    expect(scanPowerShell(uninstall)).toEqual([]);
    expect(scanPowerShell('Write-Host "upgrading to $version: now"\n{ (')).toEqual(expect.arrayContaining([expect.stringContaining('$version:')]) as unknown as string[]);
    expect(install.includes('\r\n') && !/[^\r]\n/.test(install)).toBe(true);
    expect(install).toContain('#Requires -RunAsAdministrator');
    expect(install).toContain("icacls $data /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F'");
    expect(install).toMatch(/firewall-plan --config \$config/);
    expect(install).toContain('New-EventLog -LogName Application -Source');
    expect(install).toContain("migrate --config $config");
    expect(install).toContain("$probation = Join-Path $data 'upgrade-probation'");
    expect(install).toContain('Test-Healthy $new $version -Receivers');
    expect(uninstall).toContain('Remove-NetFirewallRule');
  });
});
