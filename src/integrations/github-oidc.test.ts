import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIssuer, TEST_REPOSITORY, type TestIssuer } from '../../test/support/oidc-issuer.js';
import { type OidcConfig, oidcConfigFromEnv, verifyOidcToken } from './github-oidc.js';

describe('GitHub Actions OIDC tokens (real RS256 keys, a local issuer with discovery and JWKS)', () => {
  let issuer: TestIssuer;
  let cfg: OidcConfig;
  beforeAll(async () => {
    issuer = await startIssuer();
    cfg = oidcConfigFromEnv(issuer.env)!;
  });
  afterAll(() => issuer.close());

  it('accepts a token of the configured repository and returns the actor and the audited claims', async () => {
    const r = await verifyOidcToken(await issuer.mint({ actor: 'lead-one' }), cfg);
    expect(r).toEqual({
      ok: true,
      identity: {
        id: 'github:lead-one',
        actor: 'lead-one',
        repository: TEST_REPOSITORY,
        ref: 'refs/heads/main',
        sha: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
        runId: '4242',
        workflowRef: `${TEST_REPOSITORY}/.github/workflows/apply.yml@refs/heads/main`,
        eventName: 'push',
      },
    });
  });

  it('refuses a forged signature, an expired token, another issuer or audience, and a token of a stranger’s repository', async () => {
    const reason = async (token: string, c: OidcConfig = cfg) => {
      const r = await verifyOidcToken(token, c);
      return r.ok ? 'accepted' : r.reason;
    };
    expect(await reason(await issuer.forge())).toBe(
      'the token signature does not verify against the issuer keys',
    );
    expect(await reason(await issuer.mint({}, { lifetimeS: -120 }))).toBe('the token has expired');
    expect(await reason(await issuer.mint({}, { issuer: 'https://token.example.com' }))).toBe(
      `the token was not issued by ${issuer.url}`,
    );
    expect(await reason(await issuer.mint({}, { audience: 'sts.amazonaws.com' }))).toBe(
      'the token\'s audience is not "envc"',
    );
    expect(await reason(await issuer.mint({ repository: 'mallory/fork' }))).toBe(
      `the token was issued to repository "mallory/fork", not ${TEST_REPOSITORY}`,
    );
    expect(
      await reason(await issuer.mint({ ref: 'refs/heads/feature' }), { ...cfg, refs: ['refs/heads/main'] }),
    ).toBe('the token\'s ref "refs/heads/feature" is not allowed (refs/heads/main)');
    expect(await reason('not.a.jwt')).toBe('the token is not a well-formed JWT');
    // A token minted for the right repository, but the signature bytes swapped for another token's.
    const [h, p] = (await issuer.mint()).split('.');
    const [, , sig] = (await issuer.forge()).split('.');
    expect(await reason(`${h}.${p}.${sig}`)).toBe(
      'the token signature does not verify against the issuer keys',
    );
  });

  it('is not configured without a repository to bind tokens to', () => {
    expect(oidcConfigFromEnv({})).toBeUndefined();
    expect(oidcConfigFromEnv({ ENVC_OIDC_REPOSITORY: 'acme/platform' })).toMatchObject({
      issuer: 'https://token.actions.githubusercontent.com',
      audience: 'envc',
      refs: [],
    });
  });
});
