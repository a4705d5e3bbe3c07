/**
 * envc state backup | list | restore against a local S3-compatible server (SigV4 verified), with the real
 * terraform binary: a round trip, metadata, the pre-restore backup, the lineage guard and the audit trail.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terraformSkipReason, type Workspace, workspace } from '../../src/runner/test-harness.js';
import { openStore } from '../../src/store/index.js';
import { type FakeS3, startFakeS3 } from '../support/s3-server.js';

const skip = terraformSkipReason();

describe.skipIf(skip)('envc state (e2e)', () => {
  let ws: Workspace;
  let s3: FakeS3;
  let s3env: Record<string, string>;
  const bucket = () => s3.buckets.get('acme-tfstate-development')!;

  beforeAll(async () => {
    ws = await workspace({ envs: ['development'] });
    s3 = await startFakeS3({ buckets: ['acme-tfstate-development'], region: 'us-ord-1' });
    s3env = {
      ENVC_S3_ENDPOINT: s3.endpoint,
      LINODE_OBJ_ACCESS_KEY: s3.accessKeyId,
      LINODE_OBJ_SECRET_KEY: s3.secretAccessKey,
      ENVC_GIT_COMMIT: '0123456789abcdef',
    };
    expect((await ws.envc(['plan', '--env', 'development', '--stacks', 'stacks'])).code).toBe(2);
    expect((await ws.envc(['apply', '--env', 'development', '--stacks', 'stacks'])).code).toBe(0);
  });
  afterAll(async () => s3?.close());

  it('refuses without credentials, naming the variables to set', async () => {
    const r = await ws.envc(['state', 'backup', '--env', 'development', '--stacks', 'stacks'], {
      ENVC_S3_ENDPOINT: s3.endpoint,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('set LINODE_OBJ_ACCESS_KEY and LINODE_OBJ_SECRET_KEY');
  });

  it('backs up, lists, and restores an earlier state; terraform then plans against it', async () => {
    const before = ws.state('development')!;
    const backup = await ws.envc(
      ['state', 'backup', '--env', 'development', '--stacks', 'stacks', '--as', 'UOPS', '--json'],
      s3env,
    );
    expect(backup.code).toBe(0);
    const entry = JSON.parse(backup.stdout);
    expect(entry).toMatchObject({
      status: 'ok',
      serial: before.serial,
      lineage: before.lineage,
      gitCommit: '0123456789abcdef',
      createdBy: 'UOPS',
    });
    const obj = bucket().get(entry.key)!;
    expect(obj.metadata).toMatchObject({
      serial: String(before.serial),
      lineage: before.lineage,
      'git-commit': '0123456789abcdef',
      'created-by': 'UOPS',
    });
    expect(JSON.parse(obj.body.toString()).resources).toHaveLength(3);

    // Change the environment after the backup.
    const main = join(ws.stacksDir, 'development', 'main.tf');
    writeFileSync(main, readFileSync(main, 'utf8').replace('default = 3', 'default = 5'));
    expect((await ws.envc(['plan', '--env', 'development', '--stacks', 'stacks'])).code).toBe(2);
    expect((await ws.envc(['apply', '--env', 'development', '--stacks', 'stacks'])).code).toBe(0);
    const changed = ws.state('development')!;
    expect(changed.serial).toBeGreaterThan(before.serial);

    const list = await ws.envc(
      ['state', 'list', '--env', 'development', '--stacks', 'stacks', '--json'],
      s3env,
    );
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).backups).toEqual([
      expect.objectContaining({
        key: entry.key,
        serial: before.serial,
        lineage: before.lineage,
        createdBy: 'UOPS',
      }),
    ]);

    const restore = await ws.envc(
      ['state', 'restore', '--env', 'development', '--stacks', 'stacks', '--as', 'UOPS', '--json'],
      s3env,
    );
    expect(restore.code).toBe(0);
    const restored = JSON.parse(restore.stdout);
    expect(restored).toMatchObject({ status: 'ok', from: entry.key, lineage: before.lineage, forced: false });
    // The state before the restore was kept.
    expect(bucket().get(restored.preRestoreBackup)?.metadata.serial).toBe(String(changed.serial));
    const now = ws.state('development')!;
    // Serials never go back: the restored state continues after the one it replaced.
    expect(now.serial).toBeGreaterThan(changed.serial);
    expect(restored.serial).toBe(now.serial);
    expect(now.lineage).toBe(before.lineage);
    const cluster = (
      now.resources as unknown as Array<{
        name: string;
        instances: Array<{ attributes: { input: { value: { pools: Array<{ count: number }> } } } }>;
      }>
    ).find((r) => r.name === 'cluster');
    expect(cluster?.instances[0]?.attributes.input.value.pools[0]?.count).toBe(3);
    // Terraform reads the restored state: the config (5 nodes) differs from it again.
    const plan = await ws.envc(['plan', '--env', 'development', '--stacks', 'stacks', '--json']);
    expect(plan.code).toBe(2);
    expect(JSON.parse(plan.stdout).environments[0].resources).toEqual([
      expect.objectContaining({ address: 'terraform_data.cluster', action: 'update' }),
    ]);
  });

  it('refuses a backup of another lineage unless --force, and audits both', async () => {
    const foreign = `envc/backups/development/foreign-${randomUUID()}.tfstate`;
    const doc = { ...ws.state('development')!, lineage: 'other-lineage', serial: 1 };
    bucket().set(foreign, {
      body: Buffer.from(JSON.stringify(doc)),
      metadata: { serial: '1', lineage: 'other-lineage' },
      contentType: 'application/json',
      etag: '"x"',
      lastModified: new Date(),
    });
    const lineageBefore = ws.state('development')!.lineage;

    const refused = await ws.envc(
      ['state', 'restore', '--env', 'development', '--stacks', 'stacks', '--from', foreign],
      s3env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `has lineage other-lineage but the state of development has lineage ${lineageBefore}`,
    );
    expect(refused.stderr).toContain('[ENVC4008]');
    expect(ws.state('development')!.lineage).toBe(lineageBefore);

    const forced = await ws.envc(
      [
        'state',
        'restore',
        '--env',
        'development',
        '--stacks',
        'stacks',
        '--from',
        foreign,
        '--force',
        '--as',
        'UOPS',
      ],
      s3env,
    );
    expect(forced.code).toBe(0);
    expect(ws.state('development')!.lineage).toBe('other-lineage');

    const store = await openStore(join(ws.dir, '.envc', 'state'));
    try {
      const audit = await store.listAudit({ env: 'development', action: 'state.*' });
      expect(audit.map((a) => a.action)).toEqual([
        'state.restore',
        'state.restore.refused',
        'state.restore',
        'state.backup',
      ]);
      expect(audit[0]?.details).toMatchObject({ from: foreign, forced: true });
      expect(audit[0]?.actor).toBe('UOPS');
    } finally {
      await store.close();
    }
  });
});
