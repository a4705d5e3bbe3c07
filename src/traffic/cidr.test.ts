import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  cidrContainsIp,
  cidrsOverlap,
  parseCidr,
  parseIp,
  someAddressAllowed,
} from './cidr.js';

const c = (t: string) => parseCidr(t)!;

describe('cidr', () => {
  it('parses IPv4 and IPv6 blocks and normalises the host bits', () => {
    expect(parseCidr('10.2.3.4/16')).toMatchObject({
      family: 4,
      prefix: 16,
      start: parseIp('10.2.0.0')!.value,
      end: parseIp('10.2.255.255')!.value,
    });
    expect(parseCidr('2001:db8::/32')).toMatchObject({ family: 6, prefix: 32 });
    expect(parseCidr('::/0')!.end).toBe((1n << 128n) - 1n);
    expect(parseCidr('192.0.2.7')).toMatchObject({ prefix: 32 });
  });

  it('rejects malformed input', () => {
    for (const bad of [
      '10.0.0.0/33',
      '256.1.1.1/8',
      '1.2.3/8',
      '10.0.0.0/x',
      '2001:db8:::1/64',
      '1::2::3/64',
      'a.b.c.d/8',
      '10.0.0.0/8/1',
    ]) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });

  it('parses IPv6 with embedded IPv4 and compressed zeros', () => {
    expect(parseIp('::ffff:192.0.2.1')!.value).toBe((0xffffn << 32n) | parseIp('192.0.2.1')!.value);
    expect(parseIp('2001:db8::1')!.value).toBe((0x20010db8n << 96n) | 1n);
  });

  it('answers containment and overlap, never across families', () => {
    expect(cidrContains(c('10.0.0.0/8'), c('10.2.0.0/16'))).toBe(true);
    expect(cidrContains(c('10.2.0.0/16'), c('10.0.0.0/8'))).toBe(false);
    expect(cidrsOverlap(c('10.0.0.0/8'), c('10.255.0.0/16'))).toBe(true);
    expect(cidrsOverlap(c('10.0.0.0/8'), c('11.0.0.0/8'))).toBe(false);
    expect(cidrContainsIp(c('::/0'), parseIp('10.0.0.1')!)).toBe(false);
    expect(cidrContainsIp(c('0.0.0.0/0'), parseIp('2001:db8::1')!)).toBe(false);
  });

  it('knows whether excepts cover a range completely', () => {
    const pods = c('10.2.0.0/16');
    expect(someAddressAllowed(pods, c('0.0.0.0/0'), [])).toBe(true);
    expect(someAddressAllowed(pods, c('0.0.0.0/0'), [c('10.2.0.0/16')])).toBe(false);
    expect(someAddressAllowed(pods, c('0.0.0.0/0'), [c('10.0.0.0/8')])).toBe(false);
    // Two halves cover it; one half leaves the other open.
    expect(someAddressAllowed(pods, c('10.0.0.0/8'), [c('10.2.0.0/17'), c('10.2.128.0/17')])).toBe(false);
    expect(someAddressAllowed(pods, c('10.0.0.0/8'), [c('10.2.0.0/17')])).toBe(true);
    expect(someAddressAllowed(pods, c('192.168.0.0/16'), [])).toBe(false);
    // A block inside the range counts (some pod address may be in it).
    expect(someAddressAllowed(pods, c('10.2.3.0/24'), [])).toBe(true);
  });
});
