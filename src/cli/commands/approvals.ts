import type { CommandSpec } from '../command.js';
import { stackOptions } from './runner/options.js';

export const command: CommandSpec = {
  name: 'approvals',
  summary: 'list pending approvals; approve or deny a plan digest',
  usage: 'envc approvals [list] [--env E] | approve|deny --env E --digest D --as U123 [--reason TEXT]',
  description: `Approvers are named in the spec as Slack user ids (U…), user group ids (S…) or handles (@group). The
CLI resolves groups from ENVC_APPROVER_GROUPS or .envc/approvers.json (ENVC_APPROVERS_FILE), a JSON object
like {"@platform-leads": ["U123", "U456"]}; a group it cannot resolve admits nobody. Nobody approves their
own request; an approval names one digest, expires (approvals.expiresAfter) and is used once by apply.`,
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
    const { runApprovals } = await import('./runner/run-approvals.js');
    return runApprovals(ctx);
  },
};
