import { backupBucket } from '../../../compiler/state-layout.js';
import { s3Credentials, s3ObjectStore } from '../../../runner/backup/object-store.js';
import { type BackupDeps, backupEnv, listBackups, restoreEnv } from '../../../runner/backup/state-backup.js';
import type { CommandContext, CommandResult } from '../../command.js';
import { ExitCode } from '../../exit-codes.js';
import { UsageError } from '../../main.js';
import { networkErrorCode } from '../../network-error.js';
import { onlyEnv } from './options.js';
import { jsonResult, oneOutcomeResult } from './render.js';
import { type CliRunner, withRunner } from './wiring.js';

async function backupDeps(ctx: CommandContext, r: CliRunner): Promise<BackupDeps | CommandResult> {
  const sb = r.model?.stateBackend;
  const endpoint = (ctx.flags.endpoint as string | undefined) ?? ctx.env.ENVC_S3_ENDPOINT ?? sb?.endpoint;
  // Each environment's backups sit with its own state (docs/adr/0017): its key reaches no other bucket.
  const bucket =
    (ctx.flags.bucket as string | undefined) ??
    ctx.env.ENVC_BACKUP_BUCKET ??
    (r.model ? backupBucket(r.model, onlyEnv(ctx)) : undefined);
  if (!endpoint || !bucket) {
    return {
      exitCode: ExitCode.Findings,
      stderr:
        'envc state: no Object Storage endpoint or bucket: set stateBackend in the spec, or pass --endpoint and --bucket\n',
    };
  }
  const creds = s3Credentials(ctx.env);
  if (!creds) {
    return {
      exitCode: ExitCode.Findings,
      stderr:
        'envc state: no Object Storage credentials: set LINODE_OBJ_ACCESS_KEY and LINODE_OBJ_SECRET_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)\n',
    };
  }
  const objects = await s3ObjectStore({
    endpoint,
    bucket,
    region: ctx.env.ENVC_S3_REGION ?? sb?.cluster ?? 'us-east-1',
    ...creds,
    forcePathStyle: ctx.env.ENVC_S3_PATH_STYLE === '1' || endpoint.startsWith('http://'),
  });
  return {
    ...r.deps,
    objects,
    keyPrefix: sb?.keyPrefix ?? 'envc',
    gitCommit: async () => (await r.deps.revision?.()) ?? 'unknown',
  };
}

export async function runState(ctx: CommandContext): Promise<CommandResult> {
  const sub = ctx.args[0];
  if (sub !== 'backup' && sub !== 'list' && sub !== 'restore')
    throw new UsageError(
      `say what to do: envc state backup|list|restore --env E${sub ? ` (not "${sub}")` : ''}`,
    );
  const env = onlyEnv(ctx);
  return withRunner(ctx, { noTerraform: sub === 'list' }, async (r) => {
    if (!r.available.includes(env))
      return {
        exitCode: ExitCode.Usage,
        stderr: `envc state: no stack for "${env}" under ${r.deps.stacksDir}\n`,
      };
    const deps = await backupDeps(ctx, r);
    if (!('objects' in deps)) return deps;
    if (sub === 'list') {
      let list: Awaited<ReturnType<typeof listBackups>>;
      try {
        list = await listBackups(deps, env);
      } catch (err) {
        const code = networkErrorCode(err);
        if (!code) throw err;
        // Not envc's bug: the bucket's endpoint did not answer.
        return {
          exitCode: ExitCode.NotReady,
          stderr: `envc state: cannot reach Object Storage for ${deps.objects.bucket} (${code})\nnext: check the endpoint (stateBackend.endpoint or --endpoint) and your network, then run \`envc state list --env ${env}\` again\n`,
        };
      }
      if (ctx.flags.json) return jsonResult(ExitCode.Ok, { env, bucket: deps.objects.bucket, backups: list });
      if (list.length === 0)
        return { exitCode: ExitCode.Ok, stdout: `no backups of ${env} in ${deps.objects.bucket}\n` };
      const rows = list.map(
        (b) =>
          `${b.createdAt}  serial ${String(b.serial).padStart(4)}  ${b.lineage.slice(0, 8)}  ${b.gitCommit.slice(0, 10).padEnd(10)}  ${b.createdBy.padEnd(16)}  ${b.key}`,
      );
      return { exitCode: ExitCode.Ok, stdout: `${rows.join('\n')}\n` };
    }
    const o =
      sub === 'backup'
        ? await backupEnv(deps, env)
        : await restoreEnv(deps, env, {
            ...(typeof ctx.flags.from === 'string' ? { key: ctx.flags.from } : {}),
            force: ctx.flags.force === true,
          });
    r.progress.done();
    return oneOutcomeResult<unknown>(o, Boolean(ctx.flags.json), ctx.errStyle, (value) => {
      const v = value as Record<string, unknown>;
      return sub === 'backup'
        ? `backed up ${env} (serial ${v.serial}, lineage ${String(v.lineage).slice(0, 8)}) to ${deps.objects.bucket}/${v.key}\n`
        : `restored ${env} from ${v.from} (now serial ${v.serial}${v.forced ? ', lineage forced' : ''}); the state before is in ${v.preRestoreBackup ?? '(there was none)'}\n`;
    });
  });
}
