import type { CommandSpec } from '../command.js';
import { stackOptions } from './runner/options.js';

export const command: CommandSpec = {
  name: 'approvals',
  summary: 'list pending approvals; approve or deny a plan digest',
  usage: 'envc approvals [list] [--env E] [--all] | approve|deny --env E --digest D [--reason TEXT]',
  description: `Approvers are named in the spec as Slack user ids (U…), user group ids (S…) or handles (@group). The
CLI resolves groups from ENVC_APPROVER_GROUPS or .envc/approvers.json (ENVC_APPROVERS_FILE), a JSON object
like {"@platform-leads": ["U123", "U456"]}; a group it cannot resolve admits nobody. Nobody approves their
own request; an approval names one digest, expires (approvals.expiresAfter) and is used once by apply.

An approval or denial counts only from a verified identity: a signed Slack request (press Approve, or
/infra approve), or in CI a GitHub Actions OIDC token (ENVC_OIDC_REPOSITORY, ENVC_OIDC_AUDIENCE, the job
with permissions: id-token: write; claims and links to Slack users in docs/security.md). A name given with
--as or ENVC_ACTOR is refused (exit 1, ENVC4018). The list shows who requested, who approved (how, when),
who denied, for which digest — also after the apply. Listing reads only the store and the spec, whose
model is kept in .envc/cache/ per spec text, day and envc build (ENVC_MODEL_CACHE=0: always rebuild).`,
  maxPositionals: 1,
  options: {
    env: { type: 'string', short: 'e', multiple: true, valueName: 'name', description: 'the environment' },
    all: { type: 'boolean', description: 'list: every request, not only open ones (pending or approved)' },
    digest: {
      type: 'string',
      valueName: 'sha256',
      description: 'the plan digest (or a unique prefix of 8+ characters)',
    },
    reason: { type: 'string', valueName: 'text', description: 'deny: why' },
    ...stackOptions,
  },
  async run(ctx) {
    // Listing reads the store and the spec only; it does not load the runner.
    if ((ctx.args[0] ?? 'list') === 'list') {
      const { listApprovals } = await import('./runner/run-approvals-list.js');
      return listApprovals(ctx);
    }
    const { runApprovals } = await import('./runner/run-approvals.js');
    return runApprovals(ctx);
  },
};
