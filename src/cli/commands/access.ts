import type { CommandSpec } from '../command.js';
import { operatorOptions, stringFlags, withOperator } from '../operator-command.js';

export const command: CommandSpec = {
  name: 'access',
  summary:
    'just-in-time access: request, list, approve, deny, revoke, review break-glass, sweep expired grants',
  usage: 'envc access request|list|approve|deny|revoke|review|sweep …',
  description: `Time-bound Kubernetes access from the access policies in environments.yaml — the same decisions as
/infra access in Slack. A grant is a RoleBinding per namespace (ClusterRoleBinding for cluster-scoped
policies) for your Kubernetes identity, labelled with the grant id and annotated with its expiry, and is
deleted when it expires (also after a restart). Approvers are the policy's, never the requester.

  envc access request <env> <policy|role> <duration> <reason…>   e.g. production view 2h "debug INC-123"
  envc access list [--env E] [--all]
  envc access approve <id>            only from a verified CI identity (GitHub OIDC); ENVC_ACTOR alone is refused
  envc access deny <id> [--reason TEXT]
  envc access revoke <id> [--reason TEXT]
  envc access review <id> --notes TEXT    post-hoc review of a break-glass grant
  envc access sweep                   revoke expired grants and report drift now (the bot does it every minute)

Identity: ENVC_ACTOR (an email) or --email; with SLACK_BOT_TOKEN it is matched to your Slack user.
Exit codes: 0 done, 1 refused, 2 drift found (sweep), 3 error, 4 waiting for approval (request).`,
  maxPositionals: 64,
  options: {
    env: { type: 'string', short: 'e', valueName: 'E', description: 'list: only this environment' },
    all: { type: 'boolean', description: 'list: include finished requests' },
    reason: { type: 'string', valueName: 'TEXT', description: 'deny/revoke: why' },
    notes: {
      type: 'string',
      valueName: 'TEXT',
      description: 'review: what was done and whether it was justified',
    },
    email: {
      type: 'string',
      valueName: 'EMAIL',
      description: 'your email (default: ENVC_ACTOR when it is one)',
    },
    ...operatorOptions,
  },
  async run(ctx) {
    return withOperator(ctx, stringFlags(ctx, ['email']), async (op) => {
      const { runAccess } = await import('./access/run.js');
      return runAccess(ctx, op, {
        ...stringFlags(ctx, ['env', 'reason', 'notes']),
        all: ctx.flags.all === true,
        json: ctx.flags.json === true,
      });
    });
  },
};
