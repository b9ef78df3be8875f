// Issue 18: `npm run package`'s Linux packages. The tarball installed into a temporary root runs the agent on its
// own Node runtime (not this machine's Node 20); a trap (snmptrap), an inform (snmpinform) and a mail (swaks) reach a
// real collector on loopback. The .deb is checked with dpkg-deb, its unit with systemd-analyze verify.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildPackages, type BuiltPackages } from '../../packaging/build.js';
import { NODE_VERSION } from '../../packaging/runtime.js';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import { collectorConfigFor, enrollAcme, eventually, freeUdpPort, runCollector, tempDir } from '../e2e/harness.js';
import { agentLog, installInto, stopAgentIn, writeRootConfig } from './harness.js';

const run = promisify(execFile);
const VERSION = '1.4.0';
let dir: ReturnType<typeof tempDir>;
let built: BuiltPackages;
let collector: RunningCollector;
let root: string;

beforeAll(async () => {
  dir = tempDir('xpears-pkg-linux-');
  built = await buildPackages({ version: VERSION, outDir: join(dir.path, 'out'), only: 'linux' });
  collector = await runCollector(collectorConfigFor(join(dir.path, 'collector')));
  root = join(dir.path, 'root');
}, 300_000);
afterAll(async () => {
  if (root) await stopAgentIn(root).catch(() => undefined);
  await collector?.stop();
  dir?.cleanup();
});

describe('the Linux packages', () => {
  it('names the files with the version and platform', () => {
    expect(built.tarball).toMatch(new RegExp(`xpears-agent-${VERSION}-linux-x64\\.tar\\.gz$`));
    expect(built.deb).toMatch(new RegExp(`xpears-agent_${VERSION}_amd64\\.deb$`));
  });

  it('the .deb holds the runtime, the bundle, the unit and maintainer scripts that upgrade in place', async () => {
    const { stdout: contents } = await run('dpkg-deb', ['-c', built.deb!]);
    for (const path of [`./opt/xpears-agent/${VERSION}/bin/node`, `./opt/xpears-agent/${VERSION}/lib/agent.mjs`,
      `./opt/xpears-agent/${VERSION}/bin/xpears-agent-upgrade`, './lib/systemd/system/xpears-agent.service', './usr/bin/xpears-agent']) {
      expect(contents).toContain(path);
    }
    expect(contents).not.toMatch(/better-sqlite3|\.node$|collector\//m);
    const { stdout: info } = await run('dpkg-deb', ['-I', built.deb!]);
    expect(info).toMatch(/Package: xpears-agent/);
    expect(info).toContain(`Version: ${VERSION}`);
    expect(info).toMatch(/Architecture: amd64/);
    for (const script of ['postinst', 'prerm', 'postrm']) expect(info).toMatch(new RegExp(`\\d+ bytes,\\s+\\d+ lines\\s+\\*\\s+${script}`));
    const { stdout: postinst } = await run('dpkg-deb', ['-I', built.deb!, 'postinst']);
    expect(postinst).toContain(`NEW="$OPT/${VERSION}"`);
    const { stdout: postrm } = await run('dpkg-deb', ['-I', built.deb!, 'postrm']);
    expect(postrm).toContain(`ROOT="$R" "$OPT/$2/bin/xpears-agent-upgrade" "$OPT/${VERSION}" "$OPT/$2" "$2"`);
  });

  it('systemd-analyze verify accepts the unit, which is hardened', async () => {
    const debRoot = join(dir.path, 'debroot');
    await run('dpkg-deb', ['-x', built.deb!, debRoot]);
    symlinkSync(`/opt/xpears-agent/${VERSION}`, join(debRoot, 'opt/xpears-agent/current'));
    // The verification resolves the unit's dependencies (sysinit.target…) inside --root: give it this system's units.
    mkdirSync(join(debRoot, 'usr/lib/systemd'), { recursive: true });
    cpSync('/lib/systemd/system', join(debRoot, 'usr/lib/systemd/system'), { recursive: true, dereference: false, verbatimSymlinks: true });
    const r = await run('systemd-analyze', ['verify', `--root=${debRoot}`, 'xpears-agent.service']);
    expect(r.stderr.trim()).toBe('');
    const unit = readFileSync(join(debRoot, 'lib/systemd/system/xpears-agent.service'), 'utf8');
    for (const line of ['User=xpears-agent', 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE', 'AmbientCapabilities=CAP_NET_BIND_SERVICE',
      'ProtectSystem=strict', 'Restart=always', 'ReadWritePaths=/var/lib/xpears-agent', 'StandardOutput=journal', 'NoNewPrivileges=yes']) {
      expect(unit).toContain(line);
    }
  });

  it('installed from the tarball into a temporary root, runs on its own runtime and forwards a trap, an inform and a mail', async () => {
    const unpacked = join(dir.path, 'unpacked');
    mkdirSync(unpacked);
    await run('tar', ['-xzf', built.tarball!, '-C', unpacked]);
    const { token } = await enrollAcme(join(dir.path, 'collector'));
    const snmpPort = await freeUdpPort();
    const statusPort = await freeUdpPort();
    const smtpPort = await freeUdpPort();
    writeRootConfig(root, {
      collector: { url: collector.url, tokenFile: join(root, 'etc/xpears-agent/token'), timeoutMs: 5000 },
      forwarder: { backoffInitialMs: 50, backoffMaxMs: 300, idlePollMs: 50 },
      status: { port: statusPort },
      receivers: {
        snmp: { address: '127.0.0.1', port: snmpPort, communities: ['public-test'] },
        smtp: { host: '127.0.0.1', port: smtpPort, recipients: { addresses: ['alertas@agente.example'], domains: [] } },
      },
    }, token);
    const installed = await installInto(root, join(unpacked, `xpears-agent-${VERSION}-linux-x64`));
    expect(installed.output + agentLog(root)).toContain(`healthy: version ${VERSION}`);
    expect(installed.code).toBe(0);

    const pid = readFileSync(join(root, 'agent.pid'), 'utf8').trim();
    const exe = readlinkSync(`/proc/${pid}/exe`);
    expect(exe).toBe(join(root, `opt/xpears-agent/${VERSION}/bin/node`));
    expect(exe).not.toBe(process.execPath);
    const { stdout: v } = await run(exe, ['--version']);
    expect(v.trim()).toBe(`v${NODE_VERSION}`);

    await run('snmptrap', ['-v', '2c', '-c', 'public-test', `127.0.0.1:${snmpPort}`, '', '1.3.6.1.4.1.5706.3.1.0.1', '1.3.6.1.4.1.5706.3.1.1.1', 's', 'trap from the package']);
    await run('snmpinform', ['-v', '2c', '-c', 'public-test', '-r', '1', '-t', '5', `127.0.0.1:${snmpPort}`, '', '1.3.6.1.4.1.5706.3.1.0.1', '1.3.6.1.4.1.5706.3.1.1.1', 's', 'inform from the package']);
    await run('swaks', ['--server', `127.0.0.1:${smtpPort}`, '--to', 'alertas@agente.example', '--from', 'consola@cliente.example',
      '--header', 'Subject: mail from the package', '--body', 'ESET PROTECT: prueba']);
    const arrived = await eventually(() => collector.repo.countEnvelopes() === 3, 30_000);
    expect(arrived, agentLog(root)).toBe(true);
    const rows = collector.db.prepare('SELECT transport, payload FROM envelopes ORDER BY transport').all() as { transport: string; payload: string }[];
    expect(rows.map((r) => r.transport)).toEqual(['smtp', 'snmp', 'snmp']);
    const payloads = rows.map((r) => r.payload).join('\n');
    for (const text of ['trap from the package', 'inform from the package', 'mail from the package']) expect(payloads).toContain(text);
    expect(agentLog(root)).toContain('"outbox":"node:sqlite"');
  }, 120_000);
});
