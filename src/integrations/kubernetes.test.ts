import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeKubernetes, startFakeKubernetes } from '../../test/support/kubernetes-api.js';
import {
  deploymentRolloutStatus,
  type KubernetesApi,
  KubernetesApiError,
  kubernetesFromKubeconfig,
} from './kubernetes.js';

let fake: FakeKubernetes;
let k: KubernetesApi;

const rb = (name: string, ns: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace: ns, labels },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@acme.example' }],
});

beforeAll(async () => {
  fake = await startFakeKubernetes();
  await fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
  k = await kubernetesFromKubeconfig(fake.kubeconfig('acme-production'));
});
afterAll(() => fake.close());

describe('kubernetes integration against the fake API server', () => {
  it('server-side applies with a field manager, and re-applies idempotently', async () => {
    const created = await k.apply(rb('apply-me', 'team-a', { 'envc.io/grant-id': 'g1' }));
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    const apply = fake.requests.find(
      (r) => r.method === 'PATCH' && r.path.endsWith('/rolebindings/apply-me'),
    );
    expect(apply?.contentType).toBe('application/apply-patch+yaml');
    expect(apply?.query.fieldManager).toBe('envc');
    const again = await k.apply(rb('apply-me', 'team-a', { 'envc.io/grant-id': 'g1' }));
    expect(again.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const got = await k.get({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      namespace: 'team-a',
      name: 'apply-me',
    });
    expect(got?.metadata.labels).toEqual({ 'envc.io/grant-id': 'g1' });
  });

  it('maps 404 to undefined/false and other errors to KubernetesApiError with the Status reason', async () => {
    expect(
      await k.get({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        namespace: 'team-a',
        name: 'nope',
      }),
    ).toBeUndefined();
    expect(await k.deleteRoleBinding('team-a', 'nope')).toBe(false);
    const err = await k.apply(rb('x', 'no-such-namespace')).catch((e) => e);
    expect(err).toBeInstanceOf(KubernetesApiError);
    expect(err.status).toBe(404);
    expect(err.message).toContain('namespaces "no-such-namespace" not found');
    const invalid = await k
      .apply({
        ...rb('bad', 'team-a'),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      })
      .catch((e) => e);
    expect(invalid.status).toBe(422);
    expect(invalid.reason).toBe('Invalid');
  });

  it('lists every page with limit/continue and filters by label selector', async () => {
    for (let i = 0; i < 7; i++)
      await k.apply(rb(`page-${i}`, 'team-a', { 'envc.io/access': 'jit', n: String(i % 2) }));
    const before = fake.requests.length;
    const all = await k.list({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      namespace: 'team-a',
      labelSelector: 'envc.io/access=jit',
      pageSize: 3,
    });
    expect(all.map((o) => o.metadata.name)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `page-${i}`));
    const listCalls = fake.requests
      .slice(before)
      .filter((r) => r.method === 'GET' && r.path.endsWith('/rolebindings'));
    expect(listCalls).toHaveLength(3);
    expect(listCalls[1]?.query.continue).toBeTruthy();
    const odd = await k.listRoleBindings('team-a', 'envc.io/access=jit,n in (1)');
    expect(odd.map((o) => o.metadata.name)).toEqual(['page-1', 'page-3', 'page-5']);
    expect(odd[0]?.kind).toBe('RoleBinding');
    expect(await k.deleteRoleBinding('team-a', 'page-0')).toBe(true);
    expect(await k.deleteRoleBinding('team-a', 'page-0')).toBe(false);
  });

  it('handles cluster-scoped ClusterRoleBindings', async () => {
    await k.apply({
      ...rb('crb-1', 'x', { 'envc.io/access': 'jit' }),
      kind: 'ClusterRoleBinding',
      metadata: { name: 'crb-1', labels: { 'envc.io/access': 'jit' } },
    });
    expect((await k.listClusterRoleBindings('envc.io/access=jit')).map((o) => o.metadata.name)).toEqual([
      'crb-1',
    ]);
    expect(await k.deleteClusterRoleBinding('crb-1')).toBe(true);
    expect(await k.listClusterRoleBindings('envc.io/access=jit')).toEqual([]);
  });

  it('restarts a Deployment by stamping the pod template, and waits until it is rolled out', async () => {
    await fake.seed(deployment('web'));
    const at = new Date('2026-01-02T03:04:05Z');
    await k.restartDeployment('team-a', 'web', at);
    const d = fake.get('apps/v1', 'Deployment', 'team-a', 'web');
    const spec = (d?.spec ?? {}) as { template?: { metadata?: { annotations?: Record<string, string> } } };
    expect(spec.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(
      at.toISOString(),
    );
    expect(d?.metadata.generation).toBe(2);
    const first = await k.rolloutStatus('team-a', 'web');
    expect(first.done).toBe(false); // the controller has not observed generation 2 yet
    const s = await k.waitForRollout('team-a', 'web', { intervalMs: 1 });
    expect(s).toMatchObject({ done: true, failed: false });
  });

  it('reports a crash-looping rollout as failed (progress deadline exceeded)', async () => {
    await fake.seed(deployment('broken'));
    fake.setDeploymentHealth('team-a', 'broken', 'crashloop');
    await k.restartDeployment('team-a', 'broken', new Date());
    const s = await k.waitForRollout('team-a', 'broken', { intervalMs: 1 });
    expect(s.failed).toBe(true);
    expect(s.message).toContain('progress deadline');
  });

  it('fetches the Sealed Secrets certificate through the service proxy', async () => {
    const pem = await k.sealedSecretsCertificate();
    expect(pem).toBe(fake.sealing?.certificatePem);
    const call = fake.requests.find((r) => r.path.includes('/proxy/'));
    expect(decodeURIComponent(call?.path ?? '')).toBe(
      '/api/v1/namespaces/sealed-secrets/services/http:sealed-secrets-controller:/proxy/v1/cert.pem',
    );
    const missing = await k.sealedSecretsCertificate({ service: 'nope' }).catch((e) => e);
    expect(missing.status).toBe(404);
  });

  it('rejects a request without the bearer token', async () => {
    const other = await kubernetesFromKubeconfig(fake.kubeconfig().replace(fake.token, 'wrong'));
    const err = await other.listClusterRoleBindings().catch((e) => e);
    expect(err.status).toBe(401);
  });
});

describe('deploymentRolloutStatus', () => {
  const d = (generation: number, status: object, replicas = 2) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'w', namespace: 'n', generation },
    spec: { replicas },
    status,
  });
  it('waits for the new generation to be observed', () => {
    expect(deploymentRolloutStatus(d(3, { observedGeneration: 2 }))).toMatchObject({
      done: false,
      failed: false,
    });
  });
  it('waits while old replicas remain or new ones are unavailable', () => {
    expect(
      deploymentRolloutStatus(
        d(2, { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2 }),
      ).done,
    ).toBe(false);
    expect(
      deploymentRolloutStatus(
        d(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }),
      ).done,
    ).toBe(false);
    expect(
      deploymentRolloutStatus(
        d(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }),
      ).done,
    ).toBe(true);
  });
});

function deployment(name: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'team-a' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image: 'ghcr.io/acme/x:1' }] },
      },
    },
  };
}
