import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeKubernetes, startFakeKubernetes } from '../../test/support/kubernetes-api.js';
import { seedBotRbac } from '../../test/support/kubernetes-bot-rbac.js';
import { defaultModel } from '../../test/support/model.js';
import { BOT_NAMESPACE, BOT_SERVICE_ACCOUNT } from '../compiler/emitters/kubernetes/platform.js';
import { boundKubernetes, requestServiceAccountToken } from './kube-token.js';

let clock = Date.parse('2026-12-01T10:00:00Z');
let k: FakeKubernetes;
const bot = { namespace: BOT_NAMESPACE, serviceAccount: BOT_SERVICE_ACCOUNT, now: () => clock };
const tokenRequests = () =>
  k.requests.filter(
    (r) => r.method === 'POST' && r.path.endsWith(`/serviceaccounts/${BOT_SERVICE_ACCOUNT}/token`),
  );
const grant = (name: string, role: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace: 'team-a' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@acme.example' }],
});

beforeAll(async () => {
  k = await startFakeKubernetes({ now: () => clock });
  await seedBotRbac(k, await defaultModel(), 'production');
});
afterAll(() => k.close());

describe('the bot connects with short-lived TokenRequest tokens', () => {
  it('mints a 10-minute token for envc-bot and acts with exactly the generated RBAC', async () => {
    const kube = await boundKubernetes(k.kubeconfig('lke-production'), bot);
    expect(tokenRequests()).toHaveLength(1);
    expect(JSON.parse(tokenRequests()[0]!.body)).toEqual({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 600 },
    });
    // What just-in-time access needs: a binding to an access package of this environment.
    expect((await kube.create(grant('envc-grant-view', 'envc:view'))).created).toBe(true);
    // What it must not do: bind a role no policy grants here, read Secrets, or edit roles.
    await expect(kube.create(grant('envc-grant-x', 'cluster-admin'))).rejects.toMatchObject({ status: 403 });
    await expect(kube.list({ apiVersion: 'v1', kind: 'Secret', namespace: 'team-a' })).rejects.toMatchObject({
      status: 403,
    });
    await expect(
      kube.apply({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'envc:view' },
        rules: [],
      }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('refreshes the token before it expires, and once more when the API server answers 401', async () => {
    const kube = await boundKubernetes(k.kubeconfig('lke-production'), bot);
    const before = tokenRequests().length;
    const list = () => kube.listRoleBindings('team-a', 'envc.io/grant');
    await list();
    expect(tokenRequests().length).toBe(before);
    clock += 481_000; // past 80% of 600 s: the next call mints first
    await list();
    expect(tokenRequests().length).toBe(before + 1);

    // A client that waits for the whole lifetime (refreshAt 1) meets the server's 401, re-mints and retries.
    const late = await boundKubernetes(k.kubeconfig('lke-production'), { ...bot, refreshAt: 1.5 });
    const n = tokenRequests().length;
    clock += 601_000;
    expect(await late.listRoleBindings('team-a', 'envc.io/grant')).toEqual([]);
    expect(tokenRequests().length).toBe(n + 1);
    expect(k.requests.filter((r) => r.status === 401).length).toBeGreaterThan(0);
  });

  it("says which ServiceAccount could not get a token (404); the bot's own token cannot mint another (403)", async () => {
    await expect(
      requestServiceAccountToken(k.kubeconfig('lke-production'), { ...bot, serviceAccount: 'nobody' }),
    ).rejects.toThrow(
      /requesting a token for ServiceAccount envc-bot\/nobody: the Kubernetes API answered 404/,
    );
    const minted = await requestServiceAccountToken(k.kubeconfig('lke-production'), bot);
    // The bot's own token cannot mint another: it cannot outlive its expiry.
    const kc = k.kubeconfig('lke-production').replace(k.token, minted.token);
    await expect(requestServiceAccountToken(kc, bot)).rejects.toMatchObject({ status: 403 });
  });
});
