// Network helpers of the receivers: CIDR parsing and matching, bounded logging, listener names.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.js';
import { createLogger } from '../../lib/logger.js';
import { BoundedLog, NetworkMatcher, describeListener, normalizeAddress, parseCidr } from './net.js';

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', { address: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    ['192.0.2.7', { address: '192.0.2.7', prefix: 32, family: 'ipv4' }],
    ['2001:db8::/32', { address: '2001:db8::', prefix: 32, family: 'ipv6' }],
    ['::1', { address: '::1', prefix: 128, family: 'ipv6' }],
    ['10.0.0.0/33', null],
    ['10.0.0.0/-1', null],
    ['10.0.0/8', null],
    ['example.com', null],
    ['10.0.0.0/8/1', null],
  ])('%s → %o', (text, expected) => {
    expect(parseCidr(text)).toEqual(expected);
  });
});

describe('NetworkMatcher', () => {
  const matcher = new NetworkMatcher(['10.20.0.0/16', '192.0.2.7', '2001:db8::/32']);
  it.each([
    ['10.20.3.4', true],
    ['10.21.0.1', false],
    ['192.0.2.7', true],
    ['192.0.2.8', false],
    ['::ffff:10.20.9.9', true],
    ['2001:db8:1::5', true],
    ['2001:db9::5', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (address, allowed) => {
    expect(matcher.allows(address)).toBe(allowed);
  });

  it('normalizes IPv4-mapped addresses for reporting', () => {
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeAddress('::1')).toBe('::1');
  });
});

describe('BoundedLog', () => {
  it('logs the first warnings of a window, then one line with how many it suppressed', () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({ write(chunk: Buffer, _e, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
    const clock = fixedClock('2026-11-22T10:00:00Z');
    const log = new BoundedLog(createLogger({ destination }), clock, 5, 10_000);
    for (let i = 0; i < 100; i += 1) log.warn({ n: i }, 'garbage refused');
    expect(lines.map((l) => l.n)).toEqual([0, 1, 2, 3, 4]);
    clock.advance(10_000);
    log.warn({ n: 100 }, 'garbage refused');
    expect(lines.slice(5).map((l) => [l.msg, l.suppressed ?? l.n])).toEqual([['similar warnings suppressed', 95], ['garbage refused', 100]]);
  });
});

describe('describeListener', () => {
  it('puts IPv6 addresses in brackets', () => {
    expect(describeListener('tcp', '127.0.0.1', 2525)).toBe('tcp 127.0.0.1:2525');
    expect(describeListener('udp', '::', 1514)).toBe('udp [::]:1514');
  });
});
