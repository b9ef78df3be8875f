// The syslog configuration: defaults, and the refusals a person gets with their path.
import { describe, expect, it } from 'vitest';
import { syslogReceiverConfigSchema } from './config.js';

describe('syslogReceiverConfigSchema', () => {
  it('fills the defaults of each listener it is given, and only those', () => {
    const config = syslogReceiverConfigSchema.parse({ udp: {}, tcp: { host: '0.0.0.0' } });
    expect(config).toEqual({
      udp: { host: '127.0.0.1', port: 1514 },
      tcp: { host: '0.0.0.0', port: 1514 },
      allowedNetworks: ['127.0.0.1/32', '::1/128'],
      maxMessageBytes: 65_536,
      oversize: 'truncate',
      maxConnections: 50,
      maxConnectionsPerSource: 10,
      idleTimeoutMs: 600_000,
      messageTimeoutMs: 30_000,
    });
  });

  it.each([
    [{}, ''],
    [{ udp: {}, allowedNetworks: ['example.com'] }, 'allowedNetworks.0'],
    [{ tls: { port: 6514 } }, 'tls.certFile'],
    [{ udp: { port: 70_000 } }, 'udp.port'],
    [{ udp: {}, oversize: 'split' }, 'oversize'],
    [{ udp: {}, maxMessageBytes: 10 }, 'maxMessageBytes'],
    [{ udp: {}, framing: 'octet' }, ''],
  ])('refuses %o at %s', (input, path) => {
    const result = syslogReceiverConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
