import { CreateBucketSchema } from '@linode/validation';
import { describe, expect, it } from 'vitest';
import {
  bucketProblem,
  cidrProblem,
  hostProblem,
  labelValueProblem,
  portsProblem,
  qualifiedNamePrefixProblem,
  timeZoneProblem,
} from './syntax.js';

describe('value syntaxes', () => {
  it('CIDRs: address of the family plus a prefix that fits', () => {
    expect(cidrProblem('203.0.113.0/24', 4)).toBeUndefined();
    expect(cidrProblem('2001:db8::/32', 6)).toBeUndefined();
    expect(cidrProblem('::/0', 6)).toBeUndefined();
    expect(cidrProblem('12345::/64', 6)).toMatch(/not an IPv6 address/);
    expect(cidrProblem('2001:db8:::1/64', 6)).toMatch(/not an IPv6 address/);
    expect(cidrProblem('2001:db8::/129', 6)).toMatch(/0–128/);
    expect(cidrProblem('10.0.0.0/33', 4)).toMatch(/0–32/);
    expect(cidrProblem('10.0.0.0', 4)).toMatch(/no "\/prefix"/);
    expect(cidrProblem('10.0.0.0/08', 4)).toMatch(/prefix length/);
  });

  it('firewall ports: 1–65535, ranges ascending', () => {
    expect(portsProblem('443')).toBeUndefined();
    expect(portsProblem('80,443,30000-32767')).toBeUndefined();
    expect(portsProblem('0')).toMatch(/port 0/);
    expect(portsProblem('80,70000')).toMatch(/port 70000/);
    expect(portsProblem('90-80')).toMatch(/reversed/);
  });

  it('host names: RFC 1123 labels, optional leading wildcard', () => {
    expect(hostProblem('web.staging.acme.example', true)).toBeUndefined();
    expect(hostProblem('*.acme.example', true)).toBeUndefined();
    expect(hostProblem('*.acme.example', false)).toMatch(/label "\*"/);
    expect(hostProblem('web..acme.example', true)).toMatch(/empty label/);
    expect(hostProblem('-web.acme.example', true)).toMatch(/not at either end/);
    expect(hostProblem(`${'a'.repeat(64)}.example`, true)).toMatch(/longer than 63/);
    expect(hostProblem(`${'a.'.repeat(127)}ab`, true)).toMatch(/at most 253/);
  });

  it('bucket names agree with @linode/validation on every sample', () => {
    const samples = [
      'acme-tfstate',
      'acme..tfstate',
      'ab',
      'abc',
      'a'.repeat(63),
      'a'.repeat(64),
      'Acme',
      '-abc',
      'abc-',
      'a.b.c',
      'a-.b',
      'a.-b',
      'a--b',
      'acme_tfstate',
      'acme tfstate',
      '192.168.1.1',
    ];
    for (const label of samples) {
      let linodeOk = true;
      try {
        CreateBucketSchema.validateSync({ label, cluster: 'us-ord-1' });
      } catch {
        linodeOk = false;
      }
      expect(bucketProblem(label) === undefined, label).toBe(linodeOk);
    }
  });

  it('label values, qualified-name prefixes and time zones', () => {
    expect(labelValueProblem('')).toBeUndefined();
    expect(labelValueProblem('gpu_a-1.x')).toBeUndefined();
    expect(labelValueProblem('-x')).toMatch(/start and end/);
    expect(labelValueProblem('a'.repeat(64))).toMatch(/at most 63/);
    expect(qualifiedNamePrefixProblem('nvidia.com/gpu')).toBeUndefined();
    expect(qualifiedNamePrefixProblem('nvidia..com/gpu')).toMatch(/not a DNS subdomain/);
    expect(timeZoneProblem('Europe/Berlin')).toBeUndefined();
    expect(timeZoneProblem('UTC')).toBeUndefined();
    expect(timeZoneProblem('Mars/Olympus')).toMatch(/IANA/);
  });
});
