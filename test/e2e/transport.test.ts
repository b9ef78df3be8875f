// The agent reaches an HTTPS collector signed by a private CA, through a corporate HTTP proxy (CONNECT);
// without the CA the certificate is refused and nothing is lost.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { startAgent } from '../../agent/index.js';
import { silentLogger } from '../../lib/logger.js';
import { systemClock } from '../../lib/clock.js';
import type { RunningCollector } from '../../bin/runtime/collector.js';
import { startTunnelProxy, type TunnelProxy } from '../helpers/proxy.js';
import { agentConfigFor, collectorConfigFor, enrollAcme, eventually, freeUdpPort, runCollector, tempDir } from './harness.js';

let dir: ReturnType<typeof tempDir>;
let collector: RunningCollector;
let proxy: TunnelProxy;
let proxyPort: number;
let token: string;
let pki: { ca: string; cert: string; key: string };

/** A CA and a server certificate for 127.0.0.1 signed by it, made with openssl. */
function makePki(d: string): { ca: string; cert: string; key: string } {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: d, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Xpears Test CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(d, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  return { ca: join(d, 'ca.pem'), cert: join(d, 'server.pem'), key: join(d, 'server.key') };
}

beforeAll(async () => {
  dir = tempDir('xpears-tls-');
  pki = makePki(dir.path);
  collector = await runCollector(collectorConfigFor(join(dir.path, 'collector'), 0, { tls: { certFile: pki.cert, keyFile: pki.key } }));
  ({ token } = await enrollAcme(join(dir.path, 'collector')));
  proxy = await startTunnelProxy();
  proxyPort = proxy.port;
});
afterAll(async () => {
  await collector.stop();
  await proxy.close();
  dir.cleanup();
});

describe('agent → proxy → HTTPS collector', () => {
  it('forwards through the proxy, verifying the collector against the configured CA', async () => {
    expect(collector.url).toMatch(/^https:/);
    const config = agentConfigFor(join(dir.path, 'agent-ok'), collector.url, token, await freeUdpPort(), {
      collector: { url: collector.url, token, proxy: `http://127.0.0.1:${proxyPort}`, caFile: pki.ca, timeoutMs: 5000 },
    });
    const agent = await startAgent(config, { logger: silentLogger(), clock: systemClock });
    try {
      await agent.outbox.capture({ transport: 'syslog', source: { address: '127.0.0.1', port: 1 }, syslog: { protocol: 'udp', line: '<14>via proxy' } });
      agent.forwarder.wake();
      expect(await eventually(() => collector.repo.countEnvelopes() === 1)).toBe(true);
      expect(proxy.connects.some((c) => c.target === new URL(collector.url).host)).toBe(true);
    } finally {
      await agent.stop();
    }
  });

  it('refuses a collector certificate it cannot verify, keeping the envelope and saying why', async () => {
    const before = collector.repo.countEnvelopes();
    const config = agentConfigFor(join(dir.path, 'agent-noca'), collector.url, token, await freeUdpPort());
    const agent = await startAgent(config, { logger: silentLogger(), clock: systemClock });
    try {
      await agent.outbox.capture({ transport: 'syslog', source: { address: '127.0.0.1', port: 1 }, syslog: { protocol: 'udp', line: '<14>no ca' } });
      agent.forwarder.wake();
      expect(await eventually(() => agent.status().forwarder.consecutiveFailures > 0)).toBe(true);
      expect(agent.status().forwarder.lastError).toMatch(/certificate|SELF_SIGNED|UNABLE_TO_VERIFY/i);
      expect(agent.outbox.stats().depth).toBe(1);
      expect(collector.repo.countEnvelopes()).toBe(before);
    } finally {
      await agent.stop();
    }
  });
});
