/**
 * envc state backup | list | restore: `terraform state pull` copies in Object Storage with metadata
 * (serial, lineage, git commit, time, who). Restore refuses another lineage unless forced, backs up the
 * current state first, runs under the environment lock, and is audited.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Codes, failedOutcome, type Outcome, type RunnerDeps, refused } from '../context.js';
import { describeLock, withEnvLock } from '../locks.js';
import { backendConfigOf } from '../stacks.js';
import { init } from '../steps/init.js';
import { statePull, statePush } from '../steps/state.js';
import type { ObjectStore } from './object-store.js';

export interface BackupDeps extends RunnerDeps {
  objects: ObjectStore;
  /** Key prefix inside the bucket (e.g. `envc/`). */
  keyPrefix: string;
  gitCommit: () => Promise<string>;
}

export interface BackupEntry {
  key: string;
  serial: number;
  lineage: string;
  gitCommit: string;
  createdAt: string;
  createdBy: string;
  size: number;
}

interface StateDoc {
  serial: number;
  lineage: string;
  [k: string]: unknown;
}

export function backupPrefix(keyPrefix: string, env: string): string {
  const p = keyPrefix && !keyPrefix.endsWith('/') ? `${keyPrefix}/` : keyPrefix;
  return `${p}backups/${env}/`;
}

function parseState(text: string): StateDoc | undefined {
  if (text.trim() === '') return undefined;
  const doc = JSON.parse(text) as StateDoc;
  if (typeof doc.serial !== 'number' || typeof doc.lineage !== 'string')
    throw new Error('the state has no serial/lineage: is it a terraform state file?');
  return doc;
}

async function pull(
  deps: BackupDeps,
  env: string,
): Promise<{ ok: true; text: string; doc?: StateDoc } | { ok: false; message: string }> {
  const dir = join(deps.stacksDir, env);
  const i = await init(deps.terraform, dir, {
    backend: deps.backend,
    backendConfig: backendConfigOf(dir),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  if (!i.ok) return { ok: false, message: i.message };
  const p = await statePull(deps.terraform, dir, deps.signal);
  if (!p.ok) return { ok: false, message: p.message };
  const doc = parseState(p.value);
  return doc ? { ok: true, text: p.value, doc } : { ok: true, text: p.value };
}

async function put(
  deps: BackupDeps,
  env: string,
  text: string,
  doc: StateDoc,
  suffix = '',
): Promise<BackupEntry> {
  const createdAt = deps.now().toISOString();
  const key = `${backupPrefix(deps.keyPrefix, env)}${createdAt.replace(/[:.]/g, '-')}-serial${doc.serial}${suffix}.tfstate`;
  const gitCommit = await deps.gitCommit();
  const metadata = {
    serial: String(doc.serial),
    lineage: doc.lineage,
    'git-commit': gitCommit,
    'created-at': createdAt,
    'created-by': deps.actor,
  };
  await deps.objects.put(key, text, metadata);
  return {
    key,
    serial: doc.serial,
    lineage: doc.lineage,
    gitCommit,
    createdAt,
    createdBy: deps.actor,
    size: Buffer.byteLength(text),
  };
}

export async function backupEnv(deps: BackupDeps, env: string): Promise<Outcome<BackupEntry>> {
  try {
    deps.progress(env, 'pulling state');
    const p = await pull(deps, env);
    if (!p.ok) return failedOutcome(env, p.message);
    if (!p.doc)
      return refused(
        env,
        Codes.noBackup,
        `${env} has no state yet; nothing to back up`,
        `envc apply --env ${env}`,
      );
    deps.progress(env, 'uploading');
    const entry = await put(deps, env, p.text, p.doc);
    await deps.store.audit({
      actor: deps.actor,
      env,
      action: 'state.backup',
      details: { ...entry, bucket: deps.objects.bucket },
    });
    return { env, status: 'ok', value: entry };
  } catch (err) {
    await deps.notifier.notify({
      type: 'failed',
      env,
      actor: deps.actor,
      at: deps.now(),
      stage: 'backup',
      message: (err as Error).message,
    });
    return failedOutcome(env, (err as Error).message);
  }
}

/** Newest first. */
export async function listBackups(deps: BackupDeps, env: string): Promise<BackupEntry[]> {
  const objects = await deps.objects.list(backupPrefix(deps.keyPrefix, env));
  const entries = await Promise.all(
    objects.map(async (o) => {
      const m = (await deps.objects.head(o.key)) ?? {};
      return {
        key: o.key,
        serial: Number(m.serial ?? Number.NaN),
        lineage: m.lineage ?? '',
        gitCommit: m['git-commit'] ?? '',
        createdAt: m['created-at'] ?? o.lastModified.toISOString(),
        createdBy: m['created-by'] ?? '',
        size: o.size,
      };
    }),
  );
  return entries.sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.key.localeCompare(a.key),
  );
}

export interface RestoreResult {
  from: string;
  serial: number;
  lineage: string;
  forced: boolean;
  preRestoreBackup?: string;
}

export async function restoreEnv(
  deps: BackupDeps,
  env: string,
  o: { key?: string; force?: boolean },
): Promise<Outcome<RestoreResult>> {
  const key = o.key ?? (await listBackups(deps, env)).find((b) => !b.key.includes('-pre-restore'))?.key;
  if (!key)
    return refused(
      env,
      Codes.noBackup,
      `no backup of ${env} in bucket ${deps.objects.bucket}`,
      `envc state backup --env ${env}`,
    );
  const got = await deps.objects.get(key);
  if (!got)
    return refused(
      env,
      Codes.noBackup,
      `no backup "${key}" in bucket ${deps.objects.bucket}`,
      `envc state list --env ${env}`,
    );
  const backup = parseState(got.body);
  if (!backup) return refused(env, Codes.noBackup, `backup "${key}" is empty`);
  const locked = await withEnvLock(
    deps.store,
    env,
    deps.actor,
    { ...deps.lock, ...(deps.signal ? { signal: deps.signal } : {}) },
    async () => {
      const current = await pull(deps, env);
      if (!current.ok) return failedOutcome<RestoreResult>(env, current.message);
      const otherLineage = current.doc !== undefined && current.doc.lineage !== backup.lineage;
      if (otherLineage && !o.force) {
        await deps.store.audit({
          actor: deps.actor,
          env,
          action: 'state.restore.refused',
          details: { from: key, backupLineage: backup.lineage, currentLineage: current.doc!.lineage },
        });
        return refused<RestoreResult>(
          env,
          Codes.lineageMismatch,
          `backup "${key}" has lineage ${backup.lineage} but the state of ${env} has lineage ${current.doc!.lineage}: it belongs to another state`,
          'if you are sure (e.g. the state was re-created), add --force',
        );
      }
      let preRestoreBackup: string | undefined;
      if (current.doc)
        preRestoreBackup = (await put(deps, env, current.text, current.doc, '-pre-restore')).key;
      // Same lineage: continue the serial so terraform accepts the push without -force and serials never go back.
      const serial =
        current.doc && !otherLineage ? Math.max(current.doc.serial + 1, backup.serial) : backup.serial;
      const scratch = join(deps.workDir, 'restore');
      await mkdir(scratch, { recursive: true });
      const file = join(scratch, `${env}-${randomBytes(4).toString('hex')}.tfstate`);
      try {
        await writeFile(file, JSON.stringify({ ...backup, serial }, null, 2), { mode: 0o600 });
        deps.progress(env, 'pushing state');
        const pushed = await statePush(deps.terraform, join(deps.stacksDir, env), file, {
          force: otherLineage,
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
        if (!pushed.ok) return failedOutcome<RestoreResult>(env, pushed.message);
      } finally {
        await rm(file, { force: true });
      }
      // Report what terraform actually stored (push may bump the serial again).
      const after = await statePull(deps.terraform, join(deps.stacksDir, env), deps.signal);
      const finalSerial = after.ok ? (parseState(after.value)?.serial ?? serial) : serial;
      const result: RestoreResult = {
        from: key,
        serial: finalSerial,
        lineage: backup.lineage,
        forced: otherLineage,
        ...(preRestoreBackup ? { preRestoreBackup } : {}),
      };
      await deps.store.audit({ actor: deps.actor, env, action: 'state.restore', details: { ...result } });
      return { env, status: 'ok' as const, value: result };
    },
  );
  if (!locked.ok)
    return refused(
      env,
      Codes.lockHeld,
      `${env} is locked: ${describeLock(locked.lock)}`,
      'retry when the running apply has finished',
    );
  return locked.value;
}
