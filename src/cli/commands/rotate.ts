import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { operatorOptions, stringFlags, withOperator } from '../operator-command.js';

export const command: CommandSpec = {
  name: 'rotate',
  summary: 'rotate secrets: now (--env/--secret), every due one (--due), or show when each is due (--status)',
  usage: 'envc rotate [--env E] [--secret S] [--due | --status] [--reason TEXT] [--json]',
  description: `Rotates the secrets environments.yaml declares, per source: object storage keys (new key, sealed,
applied, workloads restarted and ready, old key revoked after the grace period), managed database
credentials (reset and reseal; no grace period) and generated values. Only sealed values leave the process.

An on-demand rotation in an environment that requires approvals (production) waits for an approver: the
request is posted to the spec's channel and the bot runs it once approved (exit 4 meanwhile). A rotation is
approved only in Slack: without SLACK_BOT_TOKEN nothing is posted; asking again with it posts the request
that waits (one open request per secret; --status shows it).

Environment:
  LINODE_TOKEN                       Linode API token (object storage keys, database reset, LKE kubeconfig)
  ENVC_KUBECONFIG_<ENV>, ENVC_KUBECONFIG_DIR   kubeconfig per environment (else LKE's through the API)
  ENVC_STORE                         the store (default .envc/state)
  ENVC_MODEL_CACHE=0                 --status: rebuild the spec's model (default: kept in .envc/cache/)
  SLACK_BOT_TOKEN, SLACK_API_URL     post the rotation thread and resolve approvers (optional)
  ENVC_ACTOR                         who you are in the audit log (default user@host)

Examples:
  envc rotate --status
  envc rotate --env staging --secret session-key
  envc rotate --due                      # what the bot's rotation job runs

Exit codes: 0 done, 1 refused, 3 a rotation failed (rolled back where possible), 4 awaiting approval.`,
  options: {
    env: { type: 'string', short: 'e', valueName: 'E', description: 'environment' },
    secret: { type: 'string', short: 's', valueName: 'S', description: 'secret name from the spec' },
    due: {
      type: 'boolean',
      description: 'rotate every secret whose rotation is due (scheduled; no approval)',
    },
    status: { type: 'boolean', description: 'show last rotation and next due time of each secret' },
    reason: { type: 'string', valueName: 'TEXT', description: 'why (shown to approvers and audited)' },
    ...operatorOptions,
  },
  async run(ctx) {
    if (ctx.flags.due && ctx.flags.status)
      return { exitCode: ExitCode.Usage, stderr: 'envc rotate: --due and --status do not go together\n' };
    // --status only reads: the spec's cached model may answer.
    return withOperator(ctx, { readOnly: ctx.flags.status === true }, async (op) => {
      const { runRotate } = await import('./rotate/run.js');
      return runRotate(ctx, op, {
        ...stringFlags(ctx, ['env', 'secret', 'reason']),
        due: ctx.flags.due === true,
        status: ctx.flags.status === true,
        json: ctx.flags.json === true,
      });
    });
  },
};
