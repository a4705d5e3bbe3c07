/**
 * A Slack user → the Kubernetes user name their grant binds, per the spec's `identity` settings: the
 * profile email (or its local part), and only inside `emailDomain` when one is set. The email comes from the
 * Slack profile (users.info; needs the `users:read.email` scope), never from what the requester typed.
 */
import type { Model } from '../compiler/model.js';

export type IdentityResult = { ok: true; user: string; email: string } | { ok: false; message: string };

export function kubernetesUser(email: string | undefined, identity: Model['identity']): IdentityResult {
  if (!email)
    return {
      ok: false,
      message: 'your Slack profile has no email address, so envc cannot tell who you are in Kubernetes',
    };
  const normalized = email.trim().toLowerCase();
  const at = normalized.lastIndexOf('@');
  if (at <= 0 || at === normalized.length - 1)
    return { ok: false, message: `"${email}" is not an email address` };
  const domain = normalized.slice(at + 1);
  if (identity.emailDomain && domain !== identity.emailDomain.toLowerCase()) {
    return {
      ok: false,
      message: `only ${identity.emailDomain} accounts may request access (your profile says ${domain})`,
    };
  }
  const user = identity.kubernetesUser === 'email-local-part' ? normalized.slice(0, at) : normalized;
  return { ok: true, user, email: normalized };
}

/** The subset of Bolt's WebClient used to read a profile email. */
export interface SlackUsersClient {
  users: { info(args: { user: string }): Promise<{ ok?: boolean; user?: { profile?: { email?: string } } }> };
}

/** The profile email of a Slack user (undefined when Slack has none or the user is unknown). */
export async function slackEmail(client: SlackUsersClient, user: string): Promise<string | undefined> {
  try {
    const r = await client.users.info({ user });
    return r.user?.profile?.email || undefined;
  } catch (err) {
    // An unknown user has no identity; anything else (missing scope, outage) is an error worth seeing.
    if ((err as { data?: { error?: string } }).data?.error === 'user_not_found') return undefined;
    throw err;
  }
}
