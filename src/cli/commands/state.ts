import type { CommandSpec } from '../command.js';
import { stackOptions } from './runner/options.js';

export const command: CommandSpec = {
  name: 'state',
  summary: 'back up, list and restore terraform state in Object Storage',
  usage: 'envc state backup|list|restore --env E [--from KEY] [--force] [--json]',
  description: `backup: terraform state pull → Object Storage (the spec's stateBackend; --endpoint/--bucket override)
with metadata serial, lineage, git commit, time and who. list: backups of the environment, newest first.
restore: the latest backup (or --from KEY), under the environment lock; the current state is backed up first;
a backup of another lineage is refused unless --force. Every restore is audited.

Credentials come from the environment: LINODE_OBJ_ACCESS_KEY / LINODE_OBJ_SECRET_KEY (or the AWS names).`,
  maxPositionals: 1,
  options: {
    env: { type: 'string', short: 'e', multiple: true, valueName: 'name', description: 'the environment' },
    from: {
      type: 'string',
      valueName: 'key',
      description: 'restore: the backup object key (default: the latest backup)',
    },
    force: { type: 'boolean', description: 'restore: accept a backup of another lineage' },
    endpoint: {
      type: 'string',
      valueName: 'url',
      description: 'Object Storage endpoint (default: the spec; ENVC_S3_ENDPOINT)',
    },
    bucket: {
      type: 'string',
      valueName: 'name',
      description: "bucket for backups (default: <backupBucket>-<env>, else the environment's state bucket)",
    },
    'lock-wait': {
      type: 'string',
      valueName: 'duration',
      description: 'restore: wait this long for the environment lock',
      default: '0',
    },
    ...stackOptions,
  },
  async run(ctx) {
    const { runState } = await import('./runner/run-state.js');
    return runState(ctx);
  },
};
