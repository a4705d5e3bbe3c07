/**
 * Who runs this CLI command, and whether that is proven. In CI with a GitHub Actions OIDC token
 * (ENVC_OIDC_REPOSITORY set, a token in ENVC_OIDC_TOKEN or from the runner) the identity is verified
 * (integrations/github-oidc.ts) and is `github:<actor>` — or the Slack user it is linked to
 * (ENVC_IDENTITY_LINKS / .envc/identities.json), so the author of a change is the same person in Slack and
 * cannot approve it there. Otherwise the actor is only a claim (`--as`, ENVC_ACTOR, `cli:<login>`): good enough
 * to label a plan, never enough to approve.
 */
import type { OidcIdentity } from '../../../integrations/github-oidc.js';
import { actorOf, loadIdentityLinks, personOf } from '../../../runner/identity.js';

export type CliIdentity =
  | { ok: true; actor: string; verified?: OidcIdentity }
  | { ok: false; message: string; usage?: boolean };

export async function resolveCliIdentity(
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<CliIdentity> {
  const { oidcConfigFromEnv, oidcTokenFromEnv, verifyOidcToken } = await import(
    '../../../integrations/github-oidc.js'
  );
  const cfg = oidcConfigFromEnv(env);
  const token = cfg ? await oidcTokenFromEnv(env, cfg.audience) : undefined;
  if (!cfg || !token) return { ok: true, actor: actorOf(flags.as, env) };
  const r = await verifyOidcToken(token, cfg);
  if (!r.ok) return { ok: false, message: `the CI identity token was refused: ${r.reason}` };
  const actor = personOf(r.identity.id, loadIdentityLinks(env, cwd));
  if (typeof flags.as === 'string' && flags.as !== '' && flags.as !== actor && flags.as !== r.identity.id)
    return {
      ok: false,
      usage: true,
      message: `--as ${flags.as} contradicts the verified CI identity ${r.identity.id}; drop --as`,
    };
  return { ok: true, actor, verified: r.identity };
}
