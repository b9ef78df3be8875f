// Recipient, sender and password decisions, and the configuration's refusals, as tables.
import { describe, expect, it } from 'vitest';
import { smtpReceiverConfigSchema } from './config.js';
import { REFUSALS, authenticate, checkRecipient, checkSender, passwordMatches } from './policy.js';

const recipients = { addresses: ['alerts@relay.example'], domains: ['xpears.test'] };

describe('checkRecipient', () => {
  it.each([
    ['alerts@relay.example', null],
    ['ALERTS@Relay.Example', null],
    ['anyone@xpears.test', null],
    ['nobody@relay.example', REFUSALS.unknownRecipient],
    ['victim@gmail.com', REFUSALS.relay],
    ['alerts@relay.example.evil.com', REFUSALS.relay],
    ['user@sub.xpears.test', REFUSALS.relay],
    ['no-at-sign', REFUSALS.relay],
    ['alerts@relay.example@gmail.com', REFUSALS.relay],
  ])('%s → %o', (address, expected) => {
    expect(checkRecipient(recipients, address)).toEqual(expected);
  });
});

describe('checkSender', () => {
  it.each([
    [[], 'anyone@anywhere.example', null],
    [['era@customer.example'], 'ERA@customer.example', null],
    [['era@customer.example'], 'other@customer.example', REFUSALS.sender],
    [['@customer.example'], 'x@customer.example', null],
    [['customer.example'], 'x@customer.example', null],
    [['customer.example'], 'x@evilcustomer.example', REFUSALS.sender],
    [['customer.example'], '', REFUSALS.sender],
  ])('%o allows %s → %o', (allowed, address, expected) => {
    expect(checkSender(allowed, address)).toEqual(expected);
  });
});

describe('passwords', () => {
  it('matches only the exact password, whatever the lengths', () => {
    expect(passwordMatches('s3cret', 's3cret')).toBe(true);
    expect(passwordMatches('s3cret', 's3cret ')).toBe(false);
    expect(passwordMatches('', 's3cret')).toBe(false);
    const users = [{ username: 'a', password: 'pa' }, { username: 'b', password: 'pb' }];
    expect(authenticate(users, 'b', 'pb')).toBe(true);
    expect(authenticate(users, 'b', 'pa')).toBe(false);
    expect(authenticate(users, 'c', 'pb')).toBe(false);
  });
});

describe('smtpReceiverConfigSchema', () => {
  it('fills the defaults and lower-cases recipients', () => {
    const config = smtpReceiverConfigSchema.parse({ recipients: { addresses: ['Alerts@Relay.Example'], domains: ['@XPEARS.test'] } });
    expect(config).toMatchObject({
      host: '127.0.0.1', port: 2525, maxMessageBytes: 10 * 1024 * 1024, allowedNetworks: ['127.0.0.1/32', '::1/128'],
      recipients: { addresses: ['alerts@relay.example'], domains: ['xpears.test'] },
      limits: { maxParts: 200, maxDepth: 8, maxHeaderLines: 500, parseTimeoutMs: 10_000 },
    });
  });

  it.each([
    [{ recipients: {} }, 'recipients'],
    [{ recipients: { domains: ['x.test'] }, allowedNetworks: ['10.0.0.0/33'] }, 'allowedNetworks.0'],
    [{ recipients: { domains: ['x.test'] }, allowedNetworks: [] }, 'allowedNetworks'],
    [{ recipients: { domains: ['x.test'] }, auth: { users: [{ username: 'u', password: 'p' }] } }, 'auth'],
    [{ recipients: { domains: ['x.test'] }, relay: true }, ''],
  ])('refuses %o at %s', (input, path) => {
    const result = smtpReceiverConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
