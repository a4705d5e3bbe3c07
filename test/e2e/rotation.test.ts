/**
 * Secret rotation end to end against local servers that follow the Kubernetes and Linode API v4 contracts,
 * a real PGlite store and a local Slack: a full object-storage-key rotation with restart, grace period and
 * delayed revocation in one thread; a restart that fails leaving the old key valid (and the thread saying
 * so); database credentials and generated values; production on demand waiting for an approver; sealed
 * values that only their namespace/name can open; and no secret value anywhere it must not be.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApproverDirectory } from '../../src/bot/approvers.js';
import { memoryLog } from '../../src/bot/log.js';
import { rotationSlackEvents } from '../../src/bot/notify/rotation.js';
import { ANNOTATION } from '../../src/compiler/emitters/kubernetes/platform.js';
import { Redactor } from '../../src/redact.js';
import { secretFreshnessMetrics } from '../../src/rotation/metrics.js';
import {
  type ApprovalDeps,
  approveRotation,
  denyRotation,
  requestRotation,
} from '../../src/rotation/requests.js';
import { revokeDueCredentials } from '../../src/rotation/revocations.js';
import { rotateSecret } from '../../src/rotation/rotate.js';
import type { K8sObject } from '../support/kubernetes-api.js';
import { controllerLabel, unseal } from '../support/kubernetes-api-sealing.js';
import { LEADS_GROUP, leaks, startWorld, USERS, type World } from './rotation.harness.js';

let w: World;
let deps: ApprovalDeps;
const log = memoryLog(new Redactor());
const plaintexts: string[] = [];

type Spec = {
  encryptedData: Record<string, string>;
  template: { metadata: { annotations: Record<string, string> } };
};
const spec = (o: K8sObject | undefined) => (o?.spec ?? {}) as Spec;
const conditions = (o: K8sObject | undefined) =>
  ((o?.status ?? {}) as { conditions: Array<Record<string, string>> }).conditions;
const SS = (name: string) => ['bitnami.com/v1alpha1', 'SealedSecret', 'team-a', name] as const;

beforeAll(async () => {
  w = await startWorld();
  const { webApi } = await import('@slack/bolt');
  const web = new webApi.WebClient(w.slack.botToken, {
    slackApiUrl: w.slack.apiUrl,
    retryConfig: { retries: 0 },
  });
  deps = {
    get store() {
      return w.store;
    },
    model: w.model,
    now: () => w.clock.now,
    kube: w.integrations.kube,
    linode: w.integrations.linode,
    audit: async (d) => {
      log.info(d.action, { audit: true, ...d });
      await w.store.audit({ ...d, at: w.clock.now });
    },
    events: rotationSlackEvents({
      slack: web as never,
      get store() {
        return w.store;
      },
      channel: w.model.slack.channel,
      now: () => w.clock.now,
      model: w.model,
    } as never),
    warn: (m, f) => log.warn(m, f),
    sealedSecrets: w.integrations.sealedSecrets,
    pollIntervalMs: 1,
    rolloutTimeoutMs: 10_000,
    approvers: createApproverDirectory({
      lister: { usersOf: async (g) => (await web.usergroups.users.list({ usergroup: g })).users ?? [] },
      handles: { 'platform-leads': LEADS_GROUP, 'platform-oncall': LEADS_GROUP },
      log,
    }),
  } as ApprovalDeps;
});
afterAll(() => w?.close());

/** The parent messages of rotation threads, oldest first. */
function rotationThreads() {
  return w.slack.parents('#platform-infra').filter((m) => (m.text ?? '').startsWith('Secret rotation'));
}
function threadText(ts: string): string {
  return w.slack
    .replies('#platform-infra', ts)
    .map((m) => m.text ?? '')
    .join('\n');
}

describe('object storage key rotation', () => {
  let oldKey: { id: number; access_key: string; secret_key: string };

  it('creates a key, seals and applies it, restarts the workloads, waits for them, and schedules the old key', async () => {
    // The key in use before: made by an earlier rotation (same label prefix), and its sealed copy in the cluster.
    oldKey = w.linode.addKey('envc-production-objstore-key-261001090000', [
      { bucket: 'acme-production-assets', region: 'us-ord', permissions: 'read_write' },
    ]);
    plaintexts.push(oldKey.secret_key);
    const k8s = w.clusters.production!;
    const cert = k8s.sealing!.certificatePem;
    const { sealData } = await import('../../src/integrations/sealing.js');
    const before = k8s.get(...SS('objstore-key'))!;
    await k8s.seed({
      ...before,
      spec: {
        ...(before.spec as object),
        encryptedData: await sealData({
          certificate: cert,
          namespace: 'team-a',
          name: 'objstore-key',
          scope: 'strict',
          data: {
            access_key: oldKey.access_key,
            secret_key: oldKey.secret_key,
            bucket: 'acme-production-assets',
            endpoint: 'https://us-ord-1.linodeobjects.com',
          },
        }),
      },
    });
    expect(k8s.secretValue('team-a', 'objstore-key', 'secret_key')).toBe(oldKey.secret_key);
    const generationBefore = k8s.get('apps/v1', 'Deployment', 'team-a', 'sample-service')!.metadata
      .generation!;

    const r = await rotateSecret(deps, {
      env: 'production',
      secret: 'objstore-key',
      actor: 'envc-bot',
      trigger: 'scheduled',
    });
    expect(r.kind).toBe('success');
    if (r.kind !== 'success') return;

    // The new key: limited to the spec's bucket, live in the Secret the controller unsealed.
    const keys = w.linode.keys();
    const fresh = keys.find((k) => k.id !== oldKey.id)!;
    plaintexts.push(fresh.secret_key);
    expect(fresh.bucket_access).toEqual([
      {
        bucket_name: 'acme-production-assets',
        cluster: 'us-ord-1',
        region: 'us-ord',
        permissions: 'read_write',
      },
    ]);
    expect(k8s.secretValue('team-a', 'objstore-key', 'access_key')).toBe(fresh.access_key);
    expect(k8s.secretValue('team-a', 'objstore-key', 'secret_key')).toBe(fresh.secret_key);
    expect(k8s.secretValue('team-a', 'objstore-key', 'bucket')).toBe('acme-production-assets');
    // The grace period: the old key still works.
    expect(w.linode.keyWorks(oldKey.access_key, oldKey.secret_key)).toBe(true);

    // Restarted exactly the workload that uses it, and waited for its rollout.
    const d = k8s.get('apps/v1', 'Deployment', 'team-a', 'sample-service')!;
    expect(d.metadata.generation).toBe(generationBefore + 1);
    expect(spec(d).template.metadata.annotations[ANNOTATION.restartedAt]).toBe(w.clock.now.toISOString());

    // Rotation metadata on the SealedSecret (the annotations ArgoCD is told to ignore) and in the store.
    const ss = k8s.get(...SS('objstore-key'))!;
    expect(ss.metadata.annotations?.[ANNOTATION.rotatedAt]).toBe('2026-11-26T09:00:00.000Z');
    expect(ss.metadata.annotations?.[ANNOTATION.rotatedBy]).toBe('envc-bot');
    expect(ss.metadata.annotations?.[ANNOTATION.nextDue]).toBe('2026-12-26T09:00:00.000Z');
    // Only the rotation's fields are owned by the rotation's field manager; the placeholder's labels stay.
    expect(ss.metadata.labels?.['envc.io/secret']).toBe('objstore-key');
    const apply = k8s.requests.find(
      (q) => q.method === 'PATCH' && q.path.endsWith('/sealedsecrets/objstore-key'),
    );
    expect(apply?.contentType).toBe('application/apply-patch+yaml');
    expect(apply?.query.fieldManager).toBe('envc-rotation');

    const rec = await w.store.lastRotation('production', 'objstore-key');
    expect(rec?.status).toBe('succeeded');
    expect(rec?.steps.map((s) => s.step)).toEqual([
      'preflight',
      'credential',
      'seal',
      'apply',
      'unseal',
      'restart',
      'rollout',
      'revocation-scheduled',
    ]);
    expect(rec?.steps.find((s) => s.step === 'revocation-scheduled')?.details).toEqual({
      keyIds: [oldKey.id],
      dueAt: '2026-11-27T09:00:00.000Z',
    });

    // One thread: started, sealed, rolled out … and the parent says rotated.
    const [parent] = rotationThreads();
    expect(parent?.text).toContain('succeeded');
    const thread = threadText(parent!.ts);
    for (const part of [
      'Started by',
      'credential',
      'seal',
      'rollout',
      'revocation-scheduled',
      'Rotation finished',
    ])
      expect(thread).toContain(part);
  });

  it('revokes the old key once the grace period is over, in the same thread', async () => {
    w.clock.now = new Date('2026-11-27T08:59:00Z');
    expect((await revokeDueCredentials(deps, 'envc-bot')).revoked).toEqual([]);
    expect(w.linode.keyWorks(oldKey.access_key, oldKey.secret_key)).toBe(true);
    w.clock.now = new Date('2026-11-27T09:00:00Z');
    const r = await revokeDueCredentials(deps, 'envc-bot');
    expect(r.revoked.map((x) => x.secret)).toEqual(['objstore-key']);
    expect(w.linode.keyWorks(oldKey.access_key, oldKey.secret_key)).toBe(false);
    expect(w.linode.keys()).toHaveLength(1);
    const rec = await w.store.lastRotation('production', 'objstore-key');
    expect(rec?.steps.at(-1)?.step).toBe('revoke-old');
    const threads = rotationThreads();
    expect(threads).toHaveLength(1);
    expect(threadText(threads[0]!.ts)).toContain('old credential revoked');
    expect(w.slack.message(threads[0]!.channel, threads[0]!.ts)?.history.length).toBeGreaterThan(2);
    // A second run revokes nothing more.
    expect((await revokeDueCredentials(deps, 'envc-bot')).revoked).toEqual([]);
  });

  it('a failed restart leaves the old key working, revokes the new one, restores the SealedSecret and says so', async () => {
    const k8s = w.clusters.production!;
    const [current] = w.linode.keys();
    const sealedBefore = JSON.stringify(spec(k8s.get(...SS('objstore-key'))).encryptedData);
    k8s.setDeploymentHealth('team-a', 'sample-service', 'crashloop');
    w.clock.now = new Date('2026-12-27T09:00:00Z');
    const r = await rotateSecret(deps, {
      env: 'production',
      secret: 'objstore-key',
      actor: 'envc-bot',
      trigger: 'scheduled',
    });
    k8s.setDeploymentHealth('team-a', 'sample-service', 'healthy');
    expect(r.kind).toBe('error');
    expect(r.message).toContain('failed at rollout');

    // Old key: untouched and valid; new key: revoked; the cluster holds the old key again.
    expect(w.linode.keys().map((k) => k.id)).toEqual([current!.id]);
    expect(w.linode.keyWorks(current!.access_key, current!.secret_key)).toBe(true);
    expect(JSON.stringify(spec(k8s.get(...SS('objstore-key'))).encryptedData)).toBe(sealedBefore);
    expect(k8s.secretValue('team-a', 'objstore-key', 'access_key')).toBe(current!.access_key);
    const rec = await w.store.lastRotation('production', 'objstore-key');
    expect(rec?.status).toBe('rolled-back');
    expect(rec?.error).toContain('rollout');
    expect(rec?.steps.find((s) => s.step === 'rollback')?.details.actions).toEqual([
      'SealedSecret team-a/objstore-key restored to its previous value',
      expect.stringMatching(/^new key envc-production-objstore-key-\d{12} revoked$/),
    ]);

    const parent = rotationThreads().at(-1)!;
    expect(parent.text).toContain('failed');
    const thread = threadText(parent.ts);
    expect(thread).toContain('Failed at rollout');
    expect(thread).toContain('The old credential still works');
    // Freshness stays with the last success: the failed attempt does not count.
    const metrics = await secretFreshnessMetrics(w.store, w.model, w.clock.now);
    expect(metrics).toContain(
      'envc_secret_rotation_due_timestamp_seconds{environment="production",secret="objstore-key"} 1798275600',
    );
  });

  it('an API error while restarting fails at the restart step, and rolls back the same way', async () => {
    const k8s = w.clusters.production!;
    const [current] = w.linode.keys();
    k8s.fail({ method: 'PATCH', path: '/deployments/sample-service', status: 500, reason: 'InternalError' });
    const r = await rotateSecret(deps, {
      env: 'production',
      secret: 'objstore-key',
      actor: 'U0ALICE',
      trigger: 'on-demand',
    });
    expect(r.kind).toBe('error');
    expect(r.message).toContain('failed at restart');
    expect(w.linode.keys().map((k) => k.id)).toEqual([current!.id]);
    expect(k8s.secretValue('team-a', 'objstore-key', 'secret_key')).toBe(current!.secret_key);
  });
});

describe('other sources', () => {
  it('database credentials: reset and resealed; the old password stops working at once (no grace period)', async () => {
    const before = await (await w.integrations.linode()).findDatabase('postgresql', 'acme-staging-pg');
    const r = await rotateSecret(deps, {
      env: 'staging',
      secret: 'app-db',
      actor: 'envc-bot',
      trigger: 'scheduled',
    });
    expect(r.kind).toBe('success');
    const k8s = w.clusters.staging!;
    const password = k8s.secretValue('team-a', 'app-db', 'password')!;
    const username = k8s.secretValue('team-a', 'app-db', 'username')!;
    plaintexts.push(password);
    expect(w.linode.passwordWorks('acme-staging-pg', username, password)).toBe(true);
    expect(
      w.linode.requests.some(
        (q) =>
          q.method === 'POST' &&
          q.path === `/v4beta/databases/postgresql/instances/${before!.id}/credentials/reset`,
      ),
    ).toBe(true);
    const rec = await w.store.lastRotation('staging', 'app-db');
    expect(rec?.steps.find((s) => s.step === 'revoke-old')?.details).toEqual({ by: 'reset' });
    expect(rec?.steps.some((s) => s.step === 'revocation-scheduled')).toBe(false);
  });

  it('generated: a value of the spec length and alphabet', async () => {
    const r = await rotateSecret(deps, {
      env: 'staging',
      secret: 'session-key',
      actor: 'envc-bot',
      trigger: 'scheduled',
    });
    expect(r.kind).toBe('success');
    const v = w.clusters.staging!.secretValue('team-a', 'session-key', 'value')!;
    plaintexts.push(v);
    expect(v).toMatch(/^[A-Za-z0-9_-]{64}$/);
  });
});

describe('sealed values', () => {
  it('decrypt only for their namespace/name (the controller refuses a copy under another name)', async () => {
    const k8s = w.clusters.staging!;
    const ss = k8s.get(...SS('session-key'))!;
    const enc = spec(ss).encryptedData.value as string;
    const key = k8s.sealing!.privateKeyPem;
    expect(unseal(key, controllerLabel(ss.metadata.annotations, 'team-a', 'session-key'), enc)).toBe(
      k8s.secretValue('team-a', 'session-key', 'value'),
    );
    expect(() => unseal(key, 'team-a/other', enc)).toThrow();
    expect(() => unseal(key, 'team-a', enc)).toThrow();
    // A copy of the sealed data under another name: the controller cannot open it and makes no Secret.
    await k8s.seed({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'stolen', namespace: 'team-a' },
      spec: { encryptedData: { value: enc } },
    });
    expect(conditions(k8s.get('bitnami.com/v1alpha1', 'SealedSecret', 'team-a', 'stolen'))[0]).toMatchObject({
      type: 'Synced',
      status: 'False',
    });
    expect(k8s.get('v1', 'Secret', 'team-a', 'stolen')).toBeUndefined();
  });
});

describe('namespace-wide scope where the spec asks for it', () => {
  it('seals with the namespace as label (kubeseal-encrypt) and marks the SealedSecret namespace-wide', async () => {
    const model = structuredClone(w.model);
    for (const e of model.environments)
      for (const s of e.secrets) if (s.name === 'session-key') s.scope = 'namespace-wide';
    w.clock.now = new Date('2026-12-28T09:00:00Z');
    const r = await rotateSecret(
      { ...deps, store: w.store, model },
      { env: 'staging', secret: 'session-key', actor: 'envc-bot', trigger: 'scheduled' },
    );
    expect(r.kind).toBe('success');
    const k8s = w.clusters.staging!;
    const ss = k8s.get(...SS('session-key'))!;
    expect(ss.metadata.annotations?.['sealedsecrets.bitnami.com/namespace-wide']).toBe('true');
    const enc = spec(ss).encryptedData.value as string;
    const v = k8s.secretValue('team-a', 'session-key', 'value')!;
    plaintexts.push(v);
    expect(unseal(k8s.sealing!.privateKeyPem, 'team-a', enc)).toBe(v);
    expect(() => unseal(k8s.sealing!.privateKeyPem, 'team-a/session-key', enc)).toThrow();
  });
});

describe('production on demand', () => {
  it('waits for an approver: not the requester, not a non-approver; then runs in the same thread', async () => {
    w.clock.now = new Date('2026-12-28T10:00:00Z');
    const req = await requestRotation(deps, {
      env: 'production',
      secret: 'session-key',
      requester: USERS.alice,
      reason: 'leaked in a log',
    });
    expect(req.kind).toBe('pending');
    if (req.kind !== 'pending') return;
    expect(w.clusters.production!.secretValue('team-a', 'session-key', 'value')).toBeUndefined();
    expect(await approveRotation(deps, { rotationId: req.rotation.id, approver: USERS.alice })).toMatchObject(
      { kind: 'failure', message: 'you cannot approve your own rotation request' },
    );
    expect(
      await approveRotation(deps, { rotationId: req.rotation.id, approver: USERS.mallory }),
    ).toMatchObject({ kind: 'failure' });
    const ok = await approveRotation(deps, { rotationId: req.rotation.id, approver: USERS.bob });
    expect(ok.kind).toBe('ready');
    if (ok.kind !== 'ready') return;
    const r = await rotateSecret(deps, ok.input);
    expect(r.kind).toBe('success');
    const v = w.clusters.production!.secretValue('team-a', 'session-key', 'value')!;
    plaintexts.push(v);
    expect(v).toHaveLength(64);
    const rec = await w.store.lastRotation('production', 'session-key');
    expect(rec?.id).toBe(req.rotation.id);
    expect(rec?.steps[0]).toMatchObject({ step: 'approval', details: { approver: USERS.bob } });
    const parent = rotationThreads().find((m) =>
      (m.blocks ?? []).some((b) => JSON.stringify(b).includes(req.rotation.id)),
    )!;
    expect(
      w.slack
        .message(parent.channel, parent.ts)
        ?.history[0]?.blocks?.some((b) => JSON.stringify(b).includes('envc.rotation.approve')),
    ).toBe(true);
    expect(parent.text).toContain('succeeded');
    const audit = await w.store.listAudit({ action: 'rotation.*', limit: 200 });
    expect(
      audit
        .filter((a) => a.action === 'rotation.approve.refuse')
        .map((a) => a.actor)
        .sort(),
    ).toEqual([USERS.alice, USERS.mallory].sort());
  });

  it('a denied request never runs', async () => {
    const req = await requestRotation(deps, { env: 'production', secret: 'app-db', requester: USERS.alice });
    if (req.kind !== 'pending') throw new Error('expected pending');
    const pg = await (await w.integrations.linode()).findDatabase('postgresql', 'acme-production-pg');
    const resetsBefore = w.linode.requests.filter((q) =>
      q.path.endsWith(`/${pg!.id}/credentials/reset`),
    ).length;
    expect(
      (await denyRotation(deps, { rotationId: req.rotation.id, actor: USERS.carol, reason: 'not now' })).kind,
    ).toBe('failure');
    expect((await approveRotation(deps, { rotationId: req.rotation.id, approver: USERS.bob })).kind).toBe(
      'failure',
    );
    expect(w.linode.requests.filter((q) => q.path.endsWith(`/${pg!.id}/credentials/reset`)).length).toBe(
      resetsBefore,
    );
  });
});

describe('secret values never leave sealed', () => {
  it('are not in generated/, logs, audit entries, Kubernetes requests, Slack calls or the store', async () => {
    const texts: Array<{ where: string; text: string }> = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else texts.push({ where: p, text: readFileSync(p, 'utf8') });
      }
    };
    walk(join(import.meta.dirname, '../../generated'));
    texts.push({ where: 'log', text: JSON.stringify(log.lines) });
    texts.push({ where: 'audit', text: JSON.stringify(await w.store.listAudit({ limit: 1000 })) });
    texts.push({ where: 'rotations', text: JSON.stringify(await w.store.listRotations({ limit: 1000 })) });
    texts.push({ where: 'slack', text: JSON.stringify(w.slack.calls) });
    for (const [env, k] of Object.entries(w.clusters))
      texts.push({ where: `k8s requests ${env}`, text: JSON.stringify(k.requests.map((q) => q.body)) });
    // The Linode API's own answers carry the new secret once (create); what envc sent never does.
    texts.push({ where: 'linode requests', text: JSON.stringify(w.linode.requests.map((q) => q.body)) });
    expect(plaintexts.length).toBeGreaterThanOrEqual(5);
    expect(leaks(plaintexts, texts)).toEqual([]);
    // The scan can fail: a value planted in one of the haystacks is found.
    expect(leaks([plaintexts[0]!], [{ where: 'planted', text: `x${plaintexts[0]}x` }])).toHaveLength(1);
    expect(w.slack.rejectedCalls()).toEqual([]);
  });
});
