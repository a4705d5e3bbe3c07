/**
 * A local OpenID Connect issuer shaped like GitHub Actions': a discovery document at
 * /.well-known/openid-configuration naming its own issuer URL and jwks_uri, the public keys (JWKS) at
 * /.well-known/jwks, and RS256 tokens with GitHub's claims, signed by a key pair generated per issuer.
 * `forge` signs with a key the issuer does not publish (under a published kid).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export interface TestIssuer {
  url: string;
  /** A token with GitHub's claim set; `claims` override or add, `lifetimeS` negative = already expired. */
  mint(
    claims?: JWTPayload & { actor?: string },
    o?: { lifetimeS?: number; audience?: string; issuer?: string },
  ): Promise<string>;
  /** Same claims, signed by another key under the issuer's kid. */
  forge(claims?: JWTPayload & { actor?: string }): Promise<string>;
  /** Environment for the CLI: issuer, audience, repository. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const TEST_REPOSITORY = 'acme/platform';

export async function startIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256', { extractable: true });
  const kid = 'test-key-1';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let url = '';
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration')
      return send(200, {
        issuer: url,
        jwks_uri: `${url}/.well-known/jwks`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['id_token'],
        subject_types_supported: ['public', 'pairwise'],
        claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'repository', 'ref', 'actor', 'sha', 'run_id'],
      });
    if (req.url === '/.well-known/jwks') return send(200, { keys: [jwk] });
    send(404, { message: 'not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const sign = async (
    key: CryptoKey,
    claims: JWTPayload & { actor?: string } = {},
    o: { lifetimeS?: number; audience?: string; issuer?: string } = {},
  ) => {
    const now = Math.floor(Date.now() / 1000);
    const lifetime = o.lifetimeS ?? 300;
    const actor = claims.actor ?? 'octo-author';
    return new SignJWT({
      repository: TEST_REPOSITORY,
      repository_owner: 'acme',
      ref: 'refs/heads/main',
      sha: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
      run_id: '4242',
      event_name: 'push',
      workflow_ref: `${TEST_REPOSITORY}/.github/workflows/apply.yml@refs/heads/main`,
      ...claims,
      actor,
    })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(o.issuer ?? url)
      .setAudience(o.audience ?? 'envc')
      .setSubject(`repo:${TEST_REPOSITORY}:ref:refs/heads/main`)
      .setIssuedAt(lifetime < 0 ? now + lifetime - 60 : now)
      .setNotBefore(lifetime < 0 ? now + lifetime - 60 : now - 5)
      .setExpirationTime(now + lifetime)
      .sign(key);
  };
  return {
    url,
    mint: (claims, o) => sign(privateKey, claims, o),
    forge: (claims) => sign(other.privateKey, claims),
    env: { ENVC_OIDC_ISSUER: url, ENVC_OIDC_AUDIENCE: 'envc', ENVC_OIDC_REPOSITORY: TEST_REPOSITORY },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * The process environment of a CI job whose verified identity is GitHub user `actor` (a token minted now).
 * Workspaces link github:lead-one → ULEAD1, github:lead-two → ULEAD2, github:requester → UREQ,
 * github:oncall → UONCALL (ENVC_IDENTITY_LINKS, see src/runner/test-harness.ts).
 */
export async function ciAs(issuer: TestIssuer, actor: string): Promise<Record<string, string>> {
  return { ...issuer.env, ENVC_OIDC_TOKEN: await issuer.mint({ actor }) };
}

export const TEST_IDENTITY_LINKS = {
  'github:lead-one': 'ULEAD1',
  'github:lead-two': 'ULEAD2',
  'github:requester': 'UREQ',
  'github:oncall': 'UONCALL',
};
