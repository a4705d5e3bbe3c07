import type { CommandSpec } from '../command.js';
import { envOptions, parallelOption, stackOptions, waitOptions } from './runner/options.js';

export const command: CommandSpec = {
  name: 'apply',
  summary: 'apply the saved plan — through the approval gate where the spec requires one',
  usage: 'envc apply (--env E | --all) [--digest D] [--wait 30m] [--lock-wait 10m] [--as U123] [--json]',
  description: `Applies the latest saved plan of each environment (or --digest D), under the environment lock, after
recomputing its digest from the saved plan. Where the spec requires approvals, the store must hold enough
unexpired, unused approvals of this exact digest by allowed approvers other than the requester; otherwise
envc records an approval request, prints the command to approve, and exits 4 (or waits with --wait).

Identity: --as <Slack user id>, else ENVC_ACTOR, else cli:<login>.

After a successful apply, the environment's saved plans and rollback trees under .envc/ beyond the newest
ENVC_KEEP_PLANS (default 5) are removed, except those a pending or approved approval request still needs.

Exit codes: 0 applied (or nothing to apply), 4 awaiting approval, 1 refused (lock held, stale or changed
plan), 3 terraform or the store failed.`,
  options: {
    ...envOptions,
    digest: {
      type: 'string',
      valueName: 'sha256',
      description: 'apply this plan (default: the latest plan of the environment)',
    },
    ...waitOptions,
    ...stackOptions,
    ...parallelOption,
  },
  async run(ctx) {
    const { runApply } = await import('./runner/run-apply.js');
    return runApply(ctx);
  },
};
