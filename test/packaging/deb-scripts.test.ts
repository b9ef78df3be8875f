// Issue 18: the .deb's maintainer scripts run for real, by dpkg, into a temporary root (dpkg --root with
// --force-script-chrootless: the scripts honour $DPKG_ROOT, so the service's user goes into that root's passwd and the
// unit is enabled inside it; this machine's /etc/passwd is left alone, which the test checks). systemd is not PID 1
// here: the scripts drive the agent through the tests' stand-in for systemctl (XPEARS_AGENT_SERVICE_CTL).
// Install (user, folders and modes, unit enabled), start once configured, a broken N+1 rolled back by dpkg itself
// (dpkg -s says "install ok installed" at N, N runs with its outbox), N+1 with a changed outbox schema (the outbox
// arrives exactly once), remove (configuration and data kept), purge (all gone).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import { collectorConfigFor, enrollAcme, eventually, runCollector, tempDir } from '../e2e/harness.js';
import { cachedBuild, shortHash } from './build-cache.js';
import { agentLog, buildTestDeb, freeTcpPort, SCHEMA_CHANGE_SQL, SERVICE_CTL, stopAgentIn, writeRootConfig } from './harness.js';

const run = promisify(execFile);
const COUNT = 1000;
// The versions of upgrade.test.ts: the bundles come from the same build cache entries.
const V = { n: '2.0.0', next: '2.1.0', broken: '2.2.0' };

let dir: ReturnType<typeof tempDir>;
let root: string;
let collector: RunningCollector | undefined;
const debs = { n: '', next: '', broken: '' };
const ports = { collector: 0, status: 0, syslog: 0 };
const host = { passwd: '', group: '' };
let token = '';

/** Runs dpkg on the temporary root; resolves with its exit code and output. */
async function dpkg(args: string[], healthTimeoutSeconds = 45): Promise<{ code: number; output: string }> {
  try {
    const r = await run('dpkg', [`--root=${root}`, '--force-script-chrootless', '--force-depends', `--log=${join(dir.path, 'dpkg.log')}`, ...args], {
      env: { ...process.env, ROOT: root, XPEARS_AGENT_SERVICE_CTL: SERVICE_CTL, XPEARS_AGENT_HEALTH_TIMEOUT: String(healthTimeoutSeconds) }, timeout: 240_000,
    });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** dpkg's record of the package: its status line and version, or undefined when dpkg knows nothing of it. */
async function dpkgStatus(): Promise<{ status: string; version: string } | undefined> {
  try {
    const { stdout } = await run('dpkg-query', [`--admindir=${join(root, 'var/lib/dpkg')}`, '-W', '-f=${Status}|${Version}', 'xpears-agent']);
    const [status, version] = stdout.split('|') as [string, string];
    return status.includes('not-installed') ? undefined : { status, version };
  } catch {
    return undefined;
  }
}

// The agent's status; a second try when a kept-alive connection to a stopped agent's endpoint was closed under it.
async function status(): Promise<{ version: string; outbox: { depth: number } }> {
  const get = async () => (await (await fetch(`http://127.0.0.1:${ports.status}/status`)).json()) as { version: string; outbox: { depth: number } };
  return get().catch(async () => { await new Promise((r) => setTimeout(r, 300)); return get(); });
}

function schemaColumns(): string[] {
  const db = new Database(join(root, 'var/lib/xpears-agent/outbox.db'), { readonly: true });
  try {
    return (db.prepare('PRAGMA table_info(outbox)').all() as { name: string }[]).map((c) => c.name);
  } finally {
    db.close();
  }
}

async function sendSyslogLines(count: number): Promise<void> {
  const socket = connect(ports.syslog, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  let chunk = '';
  for (let j = 0; j < count; j++) chunk += `<14>1 2026-12-07T01:00:00Z consola xpears-test - - - deb-message-${String(j).padStart(5, '0')}\n`;
  await new Promise<void>((r) => socket.end(chunk, () => r()));
}

const userLine = (file: string) => readFileSync(join(root, 'etc', file), 'utf8').split('\n').find((l) => l.startsWith('xpears-agent:'));
const mode = (p: string) => statSync(join(root, p)).mode & 0o777;

beforeAll(async () => {
  dir = tempDir('xpears-pkg-deb-');
  root = join(dir.path, 'root');
  for (const d of ['var/lib/dpkg/info', 'var/lib/dpkg/updates', 'var/lib/dpkg/triggers', 'etc']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'var/lib/dpkg/status'), '');
  host.passwd = readFileSync('/etc/passwd', 'utf8');
  host.group = readFileSync('/etc/group', 'utf8');
  const out = join(dir.path, 'debs');
  debs.n = await buildTestDeb(out, V.n);
  debs.next = await buildTestDeb(out, V.next, SCHEMA_CHANGE_SQL);
  // The broken N+1: a real .deb whose agent exits at once when started (its migration and health commands work).
  const built = await buildTestDeb(out, V.broken, SCHEMA_CHANGE_SQL);
  const wrapper = "if (process.argv[2] === 'start') { console.error('deliberately broken build'); process.exit(3); }\nawait import('./agent-real.mjs');\n";
  debs.broken = await cachedBuild(`xpears-agent_${V.broken}_broken-${shortHash(wrapper)}_amd64.deb`, async (into) => {
    const tree = join(dir.path, 'broken-tree');
    await run('dpkg-deb', ['-R', built, tree]);
    const lib = join(tree, 'opt/xpears-agent', V.broken, 'lib');
    renameSync(join(lib, 'agent.mjs'), join(lib, 'agent-real.mjs'));
    writeFileSync(join(lib, 'agent.mjs'), wrapper);
    await run('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z1', '--build', tree, into]);
  });
  ports.collector = await freeTcpPort();
  ports.status = await freeTcpPort();
  ports.syslog = await freeTcpPort();
  token = (await enrollAcme(join(dir.path, 'collector'))).token;
}, 300_000);
afterAll(async () => {
  if (root) await stopAgentIn(root).catch(() => undefined);
  await collector?.stop();
  dir?.cleanup();
});

describe('the .deb under dpkg', () => {
  it('installs: the service user in the root\'s passwd, folders with their modes, the unit enabled, not started without a configuration', async () => {
    const r = await dpkg(['-i', debs.n]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('write /etc/xpears-agent/agent.yaml (see agent.yaml.example)');
    expect(await dpkgStatus()).toEqual({ status: 'install ok installed', version: V.n });
    const user = userLine('passwd')!.split(':');
    expect(user[5]).toBe('/var/lib/xpears-agent');
    expect(user[6]).toBe('/usr/sbin/nologin');
    const gid = Number(userLine('group')!.split(':')[2]);
    expect(Number(user[2])).toBeLessThan(1000);
    expect(mode('etc/xpears-agent')).toBe(0o750);
    expect(statSync(join(root, 'etc/xpears-agent')).gid).toBe(gid);
    expect(mode('var/lib/xpears-agent')).toBe(0o700);
    expect(statSync(join(root, 'var/lib/xpears-agent')).uid).toBe(Number(user[2]));
    expect(mode('etc/xpears-agent/agent.yaml.example')).toBe(0o640);
    expect(readlinkSync(join(root, 'etc/systemd/system/multi-user.target.wants/xpears-agent.service'))).toBe('/lib/systemd/system/xpears-agent.service');
    expect(readlinkSync(join(root, 'opt/xpears-agent/current'))).toBe(V.n);
    expect(readlinkSync(join(root, 'usr/bin/xpears-agent'))).toBe('/opt/xpears-agent/current/bin/xpears-agent');
    expect(existsSync(join(root, 'agent.pid'))).toBe(false);
    // Nothing of it reached this machine.
    expect(readFileSync('/etc/passwd', 'utf8')).toBe(host.passwd);
    expect(readFileSync('/etc/group', 'utf8')).toBe(host.group);
  }, 120_000);

  it('with a configuration written, postinst run again (as dpkg-reconfigure does) starts the service', async () => {
    writeRootConfig(root, {
      collector: { url: `http://127.0.0.1:${ports.collector}`, tokenFile: join(root, 'etc/xpears-agent/token'), timeoutMs: 5000 },
      forwarder: { backoffInitialMs: 50, backoffMaxMs: 500, idlePollMs: 50 },
      status: { port: ports.status },
      receivers: { syslog: { tcp: { host: '127.0.0.1', port: ports.syslog } } },
    }, token);
    const again = await run('sh', [join(root, 'var/lib/dpkg/info/xpears-agent.postinst'), 'configure', V.n], {
      env: { ...process.env, DPKG_ROOT: root, ROOT: root, XPEARS_AGENT_SERVICE_CTL: SERVICE_CTL } });
    expect(again.stdout).not.toContain('write /etc/xpears-agent/agent.yaml');
    expect(await eventually(async () => (await status().catch(() => undefined))?.version === V.n, 30_000), agentLog(root)).toBe(true);
    await sendSyslogLines(COUNT);
    expect(await eventually(async () => (await status()).outbox.depth === COUNT, 30_000), agentLog(root)).toBe(true);
  }, 120_000);

  it('a broken N+1 is rolled back by dpkg: "install ok installed" at N, N running with its outbox, nothing of N+1 left', async () => {
    // It never comes up: a short health wait is enough to decide.
    const r = await dpkg(['-i', debs.broken], 10);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain(`${V.broken} did not come up healthy`);
    expect(r.output).toContain('rolled back: the previous version runs with its outbox');
    expect(r.output).toContain(`xpears-agent: ${V.broken} was not healthy and was rolled back; ${V.n} runs and stays installed`);
    expect(await dpkgStatus()).toEqual({ status: 'install ok installed', version: V.n });
    expect((await dpkg(['--audit'])).output.trim()).toBe('');
    expect(existsSync(join(root, 'opt/xpears-agent', V.broken))).toBe(false);
    expect(existsSync(join(root, 'opt/xpears-agent/upgrade-rolled-back'))).toBe(false);
    expect(readlinkSync(join(root, 'opt/xpears-agent/current'))).toBe(V.n);
    const s = await status();
    expect(s.version).toBe(V.n);
    expect(s.outbox.depth).toBe(COUNT);
    expect(schemaColumns()).not.toContain('attempts');
  }, 240_000);

  it('N+1 with a changed outbox schema upgrades in place under dpkg; with the collector up every envelope arrives once', async () => {
    const r = await dpkg(['-i', debs.next]);
    expect(r.code, r.output + agentLog(root)).toBe(0);
    expect(r.output).toContain(`outbox schema 1 -> 2, ${COUNT} envelopes pending`);
    expect(r.output).toContain(`healthy: version ${V.next}, receivers listening`);
    expect(await dpkgStatus()).toEqual({ status: 'install ok installed', version: V.next });
    expect(existsSync(join(root, 'opt/xpears-agent', V.n))).toBe(false);
    expect(readlinkSync(join(root, 'opt/xpears-agent/current'))).toBe(V.next);
    expect((await status()).version).toBe(V.next);
    expect(schemaColumns()).toContain('attempts');
    collector = await runCollector(collectorConfigFor(join(dir.path, 'collector'), ports.collector));
    const c = collector;
    expect(await eventually(async () => (await status()).outbox.depth === 0 && c.repo.countEnvelopes() >= COUNT, 60_000), agentLog(root)).toBe(true);
    const lines = (c.db.prepare('SELECT payload FROM envelopes').all() as { payload: string }[]).map((row) => /deb-message-(\d{5})/.exec(row.payload)?.[1]);
    expect(lines).toHaveLength(COUNT);
    expect(new Set(lines).size).toBe(COUNT);
  }, 240_000);

  it('remove stops the service and keeps configuration and data; purge removes them and the user', async () => {
    const pid = Number(readFileSync(join(root, 'agent.pid'), 'utf8'));
    const removed = await dpkg(['-r', 'xpears-agent']);
    expect(removed.code, removed.output).toBe(0);
    expect(existsSync(join(root, 'agent.pid'))).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(await dpkgStatus()).toEqual({ status: 'deinstall ok config-files', version: V.next });
    expect(existsSync(join(root, 'opt/xpears-agent', V.next))).toBe(false);
    expect(() => lstatSync(join(root, 'opt/xpears-agent/current'))).toThrow();
    expect(existsSync(join(root, 'etc/systemd/system/multi-user.target.wants/xpears-agent.service'))).toBe(false);
    expect(existsSync(join(root, 'etc/xpears-agent/agent.yaml'))).toBe(true);
    expect(existsSync(join(root, 'var/lib/xpears-agent/outbox.db'))).toBe(true);
    expect(userLine('passwd')).toBeDefined();

    const purged = await dpkg(['-P', 'xpears-agent']);
    expect(purged.code, purged.output).toBe(0);
    expect(await dpkgStatus()).toBeUndefined();
    for (const p of ['etc/xpears-agent', 'var/lib/xpears-agent', 'opt/xpears-agent']) expect(existsSync(join(root, p)), p).toBe(false);
    expect(userLine('passwd')).toBeUndefined();
    expect(userLine('group')).toBeUndefined();
    expect(readFileSync('/etc/passwd', 'utf8')).toBe(host.passwd);
    expect(readFileSync('/etc/group', 'utf8')).toBe(host.group);
  }, 120_000);
});
