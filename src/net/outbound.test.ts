import { describe, expect, it } from 'vitest';
import { callSite, failedStatus, outboundLine, transportError } from './outbound.js';

describe('outbound failure reports', () => {
  it('say the method, host and API path — never the query, the fragment or credentials in the URL', () => {
    expect(callSite('linode', 'get', 'https://user:pw@api.linode.com:443/v4/lke/clusters?token=t#x')).toEqual(
      {
        service: 'linode',
        method: 'GET',
        host: 'api.linode.com',
        path: '/v4/lke/clusters',
      },
    );
  });

  it('hide the path of a webhook or probe URL (it is the secret) and of anything that is not a URL', () => {
    expect(callSite('webhook', 'POST', 'https://hooks.slack.com/services/T0/B0/secret')).toEqual({
      service: 'webhook',
      method: 'POST',
      host: 'hooks.slack.com',
      path: '/…',
    });
    expect(callSite('probe', 'GET', 'not a url with-a-secret')).toMatchObject({ host: '?', path: '/…' });
  });

  it('name a transport error by its code, and cut URLs in a message to their host', () => {
    expect(
      transportError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })),
    ).toBe('ECONNREFUSED');
    expect(transportError(new Error('GET https://a:b@example.com/x?key=s3cret failed'))).toBe(
      'GET https://example.com/… failed',
    );
    expect(transportError(new DOMException('x', 'TimeoutError'))).toBe('TimeoutError');
  });

  it('count 4xx, 5xx and no status as failures, not 2xx or 3xx', () => {
    expect([200, 204, 302, 400, 404, 500, 0].map(failedStatus)).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    expect(
      outboundLine({
        service: 'kubernetes',
        method: 'GET',
        host: 'h:6443',
        path: '/api/v1',
        error: 'ECONNRESET',
      }),
    ).toBe('outbound call failed: kubernetes GET h:6443/api/v1 → ECONNRESET');
  });
});
