// The packaging tests' tools: the packaged runtime (downloaded once into out/cache), installable trees of the
// agent's Linux package built from this checkout, and installing them into a temporary root.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createServer } from 'node:net';
import { stringify } from 'yaml';
import { bundleAgent, REPO } from '../../packaging/bundle.js';
import { CACHE_DIR, fetchDownloads, NODE_VERSION, type Downloads } from '../../packaging/runtime.js';
import { buildDeb, stagePayload } from '../../packaging/linux.js';
import { linuxExampleConfig } from '../../packaging/build.js';
import { cachedBuild, shortHash } from './build-cache.js';

const run = promisify(execFile);

/** The ctl script standing in for systemctl. */
export const SERVICE_CTL = join(REPO, 'test/packaging/service-ctl.sh');

/** The runtimes' tarballs, downloading them on first use: a registry failure fails the test saying so. */
export function downloads(): Downloads {
  return fetchDownloads();
}

/** The packaged Linux runtime's node binary (extracted once into out/cache). */
export function packagedNode(): string {
  const node = join(CACHE_DIR, `node-${NODE_VERSION}`, 'node');
  if (!existsSync(node)) {
    mkdirSync(join(CACHE_DIR, `node-${NODE_VERSION}`), { recursive: true });
    execFileSync('tar', ['-xzf', downloads().nodeLinux, '-C', join(CACHE_DIR, `node-${NODE_VERSION}`), '--strip-components=2', 'package/bin/node']);
  }
  return node;
}

/** N+1's outbox schema change in the upgrade tests: the table rebuilt with a new column, every row copied. */
export const SCHEMA_CHANGE_SQL = `CREATE TABLE outbox_next (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, captured_at TEXT NOT NULL,
  body TEXT NOT NULL, size INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'pending', error TEXT, attempts INTEGER NOT NULL DEFAULT 0);
INSERT INTO outbox_next (seq, id, captured_at, body, size, state, error) SELECT seq, id, captured_at, body, size, state, error FROM outbox;
DROP TABLE outbox; ALTER TABLE outbox_next RENAME TO outbox; CREATE INDEX outbox_state_seq ON outbox (state, seq);`;

/** The agent bundle of `version` (with an extra outbox migration), from the build cache (./build-cache.ts). */
export function cachedBundle(version: string, extraMigrationSql?: string): Promise<string> {
  return cachedBuild(`agent-${version}-${shortHash(extraMigrationSql ?? '')}.mjs`, async (into) => {
    await bundleAgent({ outFile: into, version, nodeMajor: Number(NODE_VERSION.split('.')[0]), extraMigrationSql });
  });
}

/** An unpacked Linux package (what the tarball holds) of `version` in `dir`; returns its folder. */
export async function stageLinuxPackage(dir: string, version: string, extraMigrationSql?: string): Promise<string> {
  const top = join(dir, `xpears-agent-${version}-linux-x64`);
  mkdirSync(top, { recursive: true });
  const bundle = await cachedBundle(version, extraMigrationSql);
  stagePayload(top, { version, bundle, nodeTarball: downloads().nodeLinux, exampleConfig: linuxExampleConfig(), docs: join(REPO, 'docs/install-agent.md') });
  copyFileSync(join(REPO, 'packaging/linux/install.sh'), join(top, 'install.sh'));
  chmodSync(join(top, 'install.sh'), 0o755);
  return top;
}

/** The .deb of `version` as `npm run package` builds it (packaging/linux.ts buildDeb), from the build cache; the
 *  tests only read it. */
export function buildTestDeb(dir: string, version: string, extraMigrationSql?: string): Promise<string> {
  return cachedBuild(`xpears-agent_${version}_${shortHash(extraMigrationSql ?? '')}_amd64.deb`, async (into) => {
    const work = join(dir, `work-${version}`);
    mkdirSync(work, { recursive: true });
    const bundle = await cachedBundle(version, extraMigrationSql);
    const deb = buildDeb(work, work, { version, bundle, nodeTarball: downloads().nodeLinux, exampleConfig: linuxExampleConfig(), docs: join(REPO, 'docs/install-agent.md') });
    renameSync(deb, into);
  });
}

/** Writes the agent's configuration into the temporary root's /etc/xpears-agent. */
export function writeRootConfig(root: string, config: Record<string, unknown>, token: string): void {
  mkdirSync(join(root, 'etc/xpears-agent'), { recursive: true });
  writeFileSync(join(root, 'etc/xpears-agent/token'), `${token}\n`, { mode: 0o600 });
  const full = { dataDir: join(root, 'var/lib/xpears-agent'), ...config };
  writeFileSync(join(root, 'etc/xpears-agent/agent.yaml'), stringify(full));
}

/** Runs a package's install.sh into `root` with the test's service control; resolves with its output and exit code.
 *  The health check waits up to `healthTimeoutSeconds` (a loaded CI machine starts the agent slowly). */
export async function installInto(root: string, packageDir: string, healthTimeoutSeconds = 45): Promise<{ code: number; output: string }> {
  try {
    const r = await run(join(packageDir, 'install.sh'), ['--root', root], {
      env: { ...process.env, XPEARS_AGENT_SERVICE_CTL: SERVICE_CTL, XPEARS_AGENT_HEALTH_TIMEOUT: String(healthTimeoutSeconds) }, timeout: 180_000,
    });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** Stops the agent running in `root` (SIGTERM, as systemd does). */
export async function stopAgentIn(root: string): Promise<void> {
  await run(SERVICE_CTL, ['stop', 'xpears-agent'], { env: { ...process.env, ROOT: root } });
}

/** The agent log written in `root`, for failure messages. */
export function agentLog(root: string): string {
  const file = join(root, 'agent.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '(no agent log)';
}

/** A free TCP port on loopback, for a port that must be known before the process listening on it starts. */
export async function freeTcpPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}
