// Real processes and ports for end-to-end tests: a collector in this process, agents in-process or as children.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo } from 'node:net';
import { startCollector, type RunningCollector } from '../../bin/runtime/collector.js';
import { collectorConfigSchema, type CollectorConfig } from '../../collector/config.js';
import { agentConfigSchema, type AgentConfig } from '../../agent/config.js';
import { validateConfig } from '../../config/load.js';
import { Registry } from '../../collector/registry/index.js';
import { resolvePlans } from '../../config/plans.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/** A temp folder removed by cleanup(). */
export function tempDir(prefix: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A free UDP or TCP port on loopback, for processes that must be restarted on the same port. */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A free TCP port on loopback, for a listener that must be restarted on the same port. */
export async function freeTcpPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** The collector configuration for a test data folder. */
export function collectorConfigFor(dataDir: string, port = 0, extra: Record<string, unknown> = {}): CollectorConfig {
  return validateConfig(collectorConfigSchema, { dataDir, listen: { address: '127.0.0.1', port }, advisories: { enabled: false }, ...extra }, 'test') as CollectorConfig;
}

/** Registers customer "acme" with an agent; returns the agent's token. */
export async function enrollAcme(dataDir: string): Promise<{ token: string; agentId: string }> {
  const reg = await Registry.open(join(dataDir, 'registry.json'), resolvePlans());
  if (!reg.getCustomer('acme')) await reg.addCustomer({ id: 'acme', name: 'Acme SA', plan: 'managed', products: [{ vendor: 'eset', product: 'ESET PROTECT Entry', maintenanceExpires: '2030-01-01' }] });
  const { token, agent } = await reg.enrollAgent('acme');
  return { token, agentId: agent.id };
}

/** Starts a collector on real files. */
export function runCollector(config: CollectorConfig): Promise<RunningCollector> {
  return startCollector(config, { logger: silentLogger(), clock: systemClock });
}

/** An agent configuration with an SNMP receiver on the given port and fast retries. */
export function agentConfigFor(dataDir: string, collectorUrl: string, token: string, snmpPort: number, extra: Partial<Record<string, unknown>> = {}): AgentConfig {
  return validateConfig(agentConfigSchema, {
    dataDir, collector: { url: collectorUrl, token, timeoutMs: 5000 },
    forwarder: { backoffInitialMs: 50, backoffMaxMs: 300, idlePollMs: 50 },
    status: { port: 0 },
    receivers: { snmp: { address: '127.0.0.1', port: snmpPort, communities: ['public-test'] } },
    ...extra,
  }, 'test agent') as AgentConfig;
}

/** Starts `xpears agent start` as a child process with a config file written from `config`. */
export function spawnAgent(dir: string, config: unknown): ChildProcess {
  const file = join(dir, 'agent.json');
  writeFileSync(file, JSON.stringify(config));
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), 'agent', 'start', '--config', file], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XPEARS_LOG_LEVEL: 'info' },
  });
}

/** Starts `xpears collector start --config FILE` as a child process (logs at info, so the tests can wait for lines). */
export function spawnCollector(configFile: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/xpears.ts'), 'collector', 'start', '--config', configFile], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XPEARS_LOG_LEVEL: 'info' },
  });
}

/** Resolves once a child's output contains `text`. */
export function waitForOutput(child: ChildProcess, text: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${text}"; output so far:\n${seen}`)), timeoutMs);
    const onData = (b: Buffer) => {
      seen += b.toString();
      if (seen.includes(text)) { clearTimeout(timer); resolve(); }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

/** Polls until `check` returns true (or the time runs out, returning false): the tests' one helper for it. */
export { eventually } from '../helpers/eventually.js';
