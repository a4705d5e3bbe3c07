/**
 * What `envc rotate` and `envc access` need around the core: the model, the store, the integrations, who is
 * acting, and — when SLACK_BOT_TOKEN is set — Slack, to resolve approvers and to post the same threads the
 * bot posts. Without Slack, approvals from the CLI fail closed (nobody can be checked as an approver) and
 * events go to the terminal and the audit log only.
 */
import { hostname } from 'node:os';
import type { Model } from '../compiler/model.js';
import { cliActor, type Integrations, integrationsFromEnv } from '../integrations/deps.js';
import { outboundLine } from '../net/outbound.js';
import type { Store } from '../store/types.js';
import type { CommandContext } from './command.js';

export interface SlackLike {
  chat: {
    postMessage(a: Record<string, unknown>): Promise<{ channel?: string; ts?: string }>;
    update(a: Record<string, unknown>): Promise<unknown>;
  };
  users: {
    info(a: { user: string }): Promise<{ user?: { profile?: { email?: string } } }>;
    lookupByEmail(a: { email: string }): Promise<{ user?: { id?: string } }>;
  };
  usergroups: { users: { list(a: { usergroup: string }): Promise<{ users?: string[] }> } };
}

export interface Operator {
  model: Model;
  store: Store;
  integrations: Integrations;
  /** The acting person: their Slack user id when Slack knows their email, else ENVC_ACTOR / user@host. */
  actor: string;
  /** The actor's email when known (ENVC_ACTOR or --email). */
  email?: string;
  slack?: SlackLike;
  channel: string;
  approvers: { isApprover(user: string, refs: readonly string[]): Promise<boolean> };
  audit(d: { actor: string; env?: string; action: string; details?: Record<string, unknown> }): Promise<void>;
  close(): Promise<void>;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;

export async function openOperator(
  ctx: CommandContext,
  model: Model,
  opts: { email?: string } = {},
): Promise<Operator> {
  const { openStore } = await import('../store/index.js');
  const store = await openStore(ctx.env.ENVC_STORE, { cwd: ctx.cwd });
  // A failed call to the Linode or Kubernetes API is one line on stderr (no query, body or credentials).
  const integrations = integrationsFromEnv(ctx.env, model, (f) => ctx.progress(`envc: ${outboundLine(f)}`));
  const raw = cliActor(ctx.env, hostname());
  const email = opts.email ?? (EMAIL.test(raw) ? raw : undefined);
  let slack: SlackLike | undefined;
  let actor = raw;
  let approvers: Operator['approvers'] = {
    // Approver refs are Slack users and groups: without Slack nobody can be shown to be one.
    isApprover: async () => false,
  };
  const token = ctx.env.SLACK_BOT_TOKEN;
  if (token) {
    const { webApi } = await import('@slack/bolt');
    const client = new webApi.WebClient(
      token,
      ctx.env.SLACK_API_URL ? { slackApiUrl: ctx.env.SLACK_API_URL } : {},
    );
    slack = client as unknown as SlackLike;
    if (email) {
      try {
        const found = await client.users.lookupByEmail({ email });
        if (found.user?.id) actor = found.user.id;
      } catch {
        // Unknown to Slack: the actor stays the email (and cannot approve).
      }
    }
    const { createApproverDirectory, usergroupHandles } = await import('../bot/approvers.js');
    const quiet = {
      debug() {},
      info() {},
      warn: (m: string) => ctx.progress(`warning: ${m}`),
      error: (m: string) => ctx.progress(`error: ${m}`),
    };
    approvers = createApproverDirectory({
      lister: { usersOf: async (g) => (await client.usergroups.users.list({ usergroup: g })).users ?? [] },
      handles: usergroupHandles(model, ctx.env),
      log: { ...quiet, child: () => ({ ...quiet, child: () => quiet as never }) } as never,
    });
  }
  return {
    model,
    store,
    integrations,
    actor,
    ...(email ? { email } : {}),
    ...(slack ? { slack } : {}),
    channel: model.slack.channel,
    approvers,
    audit: async (d) => {
      await store.audit({
        actor: d.actor,
        ...(d.env ? { env: d.env } : {}),
        action: d.action,
        details: d.details ?? {},
      });
    },
    close: () => store.close(),
  };
}
