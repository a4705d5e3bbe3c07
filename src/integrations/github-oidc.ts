/**
 * A verified workload identity for CI: the GitHub Actions OIDC token. The token is a JWT signed by the
 * issuer (https://token.actions.githubusercontent.com); envc checks it with `jose` — RS256 signature against
 * the issuer's published keys (found through its OpenID discovery document), `iss`, `aud`, `exp`/`nbf` — and
 * then the claims that bind it to this platform:
 *
 *   repository   must equal ENVC_OIDC_REPOSITORY (owner/name): a token minted for another repository is refused
 *   ref          must be one of ENVC_OIDC_REFS when set (e.g. refs/heads/main)
 *   actor        the GitHub login whose push or merge started the run: the identity that requests or approves
 *   sha, run_id, workflow_ref, event_name   recorded in the audit log with the decision
 *
 * Configuration (process environment): ENVC_OIDC_ISSUER (default GitHub's), ENVC_OIDC_AUDIENCE (default
 * `envc`; the workflow asks for a token with this audience), ENVC_OIDC_REPOSITORY (required), ENVC_OIDC_REFS.
 * The token itself: ENVC_OIDC_TOKEN, or fetched from the runner (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN, which a
 * job with `permissions: id-token: write` has). See docs/security.md.
 */
import type { JWTPayload } from 'jose';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const DEFAULT_AUDIENCE = 'envc';

export interface OidcConfig {
  issuer: string;
  audience: string;
  repository: string;
  /** Allowed `ref` claims; empty: any ref of the repository. */
  refs: string[];
}

/** Who a verified token says is acting, and the claims kept for the audit log. */
export interface OidcIdentity {
  /** `github:<actor>` */
  id: string;
  actor: string;
  repository: string;
  ref: string;
  sha?: string;
  runId?: string;
  workflowRef?: string;
  eventName?: string;
}

export type OidcResult = { ok: true; identity: OidcIdentity } | { ok: false; reason: string };

/** The configuration from the environment, or undefined when CI identity is not configured at all. */
export function oidcConfigFromEnv(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const repository = env.ENVC_OIDC_REPOSITORY?.trim();
  if (!repository) return undefined;
  return {
    issuer: (env.ENVC_OIDC_ISSUER?.trim() || GITHUB_ISSUER).replace(/\/+$/, ''),
    audience: env.ENVC_OIDC_AUDIENCE?.trim() || DEFAULT_AUDIENCE,
    repository,
    refs: (env.ENVC_OIDC_REFS ?? '')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
  };
}

/** The raw token: ENVC_OIDC_TOKEN, else asked from the Actions runner; undefined when neither is there. */
export async function oidcTokenFromEnv(
  env: NodeJS.ProcessEnv,
  audience: string,
): Promise<string | undefined> {
  if (env.ENVC_OIDC_TOKEN?.trim()) return env.ENVC_OIDC_TOKEN.trim();
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) return undefined;
  const u = new URL(url);
  u.searchParams.set('audience', audience);
  const res = await fetch(u, { headers: { authorization: `bearer ${bearer}`, accept: 'application/json' } });
  if (!res.ok) throw new Error(`the Actions runner refused an OIDC token: HTTP ${res.status}`);
  const body = (await res.json()) as { value?: unknown };
  if (typeof body.value !== 'string') throw new Error('the Actions runner answered without a token');
  return body.value;
}

const jwksCache = new Map<string, ReturnType<typeof import('jose').createRemoteJWKSet>>();

async function keysOf(issuer: string) {
  const cached = jwksCache.get(issuer);
  if (cached) return cached;
  const { createRemoteJWKSet } = await import('jose');
  const res = await fetch(`${issuer}/.well-known/openid-configuration`, {
    headers: { accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`the OIDC issuer ${issuer} has no discovery document (HTTP ${res.status})`);
  const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
  // The discovery document must name the issuer we trust, and its keys must live under the same origin.
  if (doc.issuer !== issuer || typeof doc.jwks_uri !== 'string')
    throw new Error(`the OIDC discovery document of ${issuer} names another issuer or no jwks_uri`);
  if (new URL(doc.jwks_uri).origin !== new URL(issuer).origin)
    throw new Error(`the OIDC issuer ${issuer} publishes its keys on another origin (${doc.jwks_uri})`);
  const set = createRemoteJWKSet(new URL(doc.jwks_uri));
  jwksCache.set(issuer, set);
  return set;
}

const claim = (p: JWTPayload, k: string): string | undefined =>
  typeof p[k] === 'string' && p[k] !== '' ? (p[k] as string) : undefined;

/** Verifies a token; every refusal says which check failed (never the token itself). */
export async function verifyOidcToken(token: string, cfg: OidcConfig, now?: Date): Promise<OidcResult> {
  const jose = await import('jose');
  let payload: JWTPayload;
  try {
    const keys = await keysOf(cfg.issuer);
    ({ payload } = await jose.jwtVerify(token, keys, {
      issuer: cfg.issuer,
      audience: cfg.audience,
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: 30,
      ...(now ? { currentDate: now } : {}),
    }));
  } catch (err) {
    return { ok: false, reason: describeJoseError(err, cfg) };
  }
  const repository = claim(payload, 'repository');
  const ref = claim(payload, 'ref');
  const actor = claim(payload, 'actor');
  if (repository !== cfg.repository)
    return {
      ok: false,
      reason: `the token was issued to repository "${repository ?? '(none)'}", not ${cfg.repository}`,
    };
  if (!ref || (cfg.refs.length > 0 && !cfg.refs.includes(ref)))
    return {
      ok: false,
      reason: `the token's ref "${ref ?? '(none)'}" is not allowed (${cfg.refs.join(', ') || 'a ref is required'})`,
    };
  if (!actor || !/^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\[bot\])?$/.test(actor))
    return { ok: false, reason: `the token names no valid actor ("${actor ?? ''}")` };
  const opt = {
    sha: claim(payload, 'sha'),
    runId: claim(payload, 'run_id'),
    workflowRef: claim(payload, 'workflow_ref'),
    eventName: claim(payload, 'event_name'),
  };
  const identity: OidcIdentity = { id: `github:${actor}`, actor, repository, ref };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined) Object.assign(identity, { [k]: v });
  return { ok: true, identity };
}

function describeJoseError(err: unknown, cfg: OidcConfig): string {
  const e = err as { code?: string; claim?: string; message?: string };
  switch (e.code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'the token signature does not verify against the issuer keys';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'the token is signed with a key the issuer does not publish';
    case 'ERR_JWT_EXPIRED':
      return 'the token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.claim === 'iss') return `the token was not issued by ${cfg.issuer}`;
      if (e.claim === 'aud') return `the token's audience is not "${cfg.audience}"`;
      if (e.claim === 'nbf') return 'the token is not valid yet';
      return `the token's "${e.claim}" claim is invalid`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'the token is not signed with RS256';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'the token is not a well-formed JWT';
    default:
      return `the token could not be verified: ${e.message ?? String(err)}`;
  }
}
