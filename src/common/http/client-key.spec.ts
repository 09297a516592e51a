import { describe, expect, it } from '@jest/globals';
import { clientKey, clientKeyFromInput } from './client-key.js';

describe('clientKey', () => {
  it('should give one key per spelling of an address', () => {
    expect(clientKey('2001:DB8::1', 64)).toBe('2001:db8::/64');
    expect(clientKey('2001:db8:0:0::1', 64)).toBe('2001:db8::/64');
    expect(clientKey('::ffff:198.51.100.7', 64)).toBe('198.51.100.7');
    expect(clientKey('::ffff:c633:6407', 64)).toBe('198.51.100.7');
    expect(clientKey('198.51.100.7', 64)).toBe('198.51.100.7');
  });

  it('should give one key per IPv6 network of the configured prefix', () => {
    expect(clientKey('2001:db8:0:1:aaaa::5', 64)).toBe('2001:db8:0:1::/64');
    expect(clientKey('2001:db8:0:1:ffff:ffff:ffff:ffff', 64)).toBe('2001:db8:0:1::/64');
    expect(clientKey('2001:db8:0:1:aaaa::5', 48)).toBe('2001:db8::/48');
    expect(clientKey('2001:db8:0:1:aaaa::5', 128)).toBe('2001:db8:0:1:aaaa::5/128');
    expect(clientKey('2001:db8:0:1:aaaa::5', 57)).toBe('2001:db8::/57');
    expect(clientKey('2001:db8:0:ff80::', 57)).toBe('2001:db8:0:ff80::/57');
    expect(clientKey('fe80::1%eth0', 64)).toBe('fe80::/64');
    expect(clientKey('::1', 64)).toBe('::/64');
  });

  it('should refuse what is not an IP address', () => {
    for (const s of ['garbage', '1.2.3.4:80', '[::1]', '127.1', '', ' 1.2.3.4', 'x'.repeat(4000)]) {
      expect(clientKey(s, 64)).toBeNull();
    }
    expect(clientKey(undefined, 64)).toBeNull();
  });
});

describe('clientKeyFromInput', () => {
  it('should accept any address of a client or its network text', () => {
    expect(clientKeyFromInput('2001:db8::5', 64)).toBe('2001:db8::/64');
    expect(clientKeyFromInput('2001:db8::/64', 64)).toBe('2001:db8::/64');
    expect(clientKeyFromInput('2001:DB8:0:0:1::/64', 64)).toBe('2001:db8::/64');
    expect(clientKeyFromInput('198.51.100.7/32', 64)).toBe('198.51.100.7');
    expect(clientKeyFromInput('::ffff:198.51.100.7', 64)).toBe('198.51.100.7');
    expect(clientKeyFromInput('::ffff:198.51.100.7/128', 64)).toBe('198.51.100.7');
  });

  it('should refuse another prefix or a non-address', () => {
    for (const s of ['2001:db8::/48', '198.51.100.0/24', 'nope', '2001:db8::/x', '/64']) {
      expect(clientKeyFromInput(s, 64)).toBeNull();
    }
  });
});
