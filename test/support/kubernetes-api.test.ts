/**
 * The local Kubernetes API must reject what a real API server rejects: these requests are sent raw (no
 * client library smoothing them over) and checked against the API's documented answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeKubernetes, parseSelector, startFakeKubernetes } from './kubernetes-api.js';

let k: FakeKubernetes;
const RB = '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings';
const rb = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace: 'team-a', ...extra },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@acme.example' }],
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  token = k.token,
) {
  const r = await fetch(`${k.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: raw JSON answers, read field by field in the tests
  return { status: r.status, body: (await r.json()) as Record<string, any> };
}

beforeAll(async () => {
  k = await startFakeKubernetes();
  await k.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
});
afterAll(() => k.close());

describe('fake Kubernetes API contract', () => {
  it('401 without the token, 404 NotFound Status for a missing object', async () => {
    expect((await call('GET', `${RB}/x`, undefined, 'application/json', 'nope')).status).toBe(401);
    const r = await call('GET', `${RB}/missing`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: 'rolebindings.rbac.authorization.k8s.io "missing" not found',
    });
  });

  it('409 AlreadyExists on create of an existing object; resourceVersion increases on every write', async () => {
    const a = await call('POST', RB, rb('one'));
    expect(a.status).toBe(201);
    const again = await call('POST', RB, rb('one'));
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('AlreadyExists');
    const rv1 = Number(a.body.metadata.resourceVersion);
    const updated = await call('PUT', `${RB}/one`, {
      ...a.body,
      metadata: { ...a.body.metadata, labels: { x: 'y' } },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(Number(updated.body.metadata.resourceVersion)).toBeGreaterThan(rv1);
  });

  it('409 Conflict on a stale resourceVersion', async () => {
    const cur = await call('GET', `${RB}/one`);
    const stale = await call('PUT', `${RB}/one`, {
      ...cur.body,
      metadata: { ...cur.body.metadata, resourceVersion: '1' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toContain('the object has been modified');
  });

  it('server-side apply: fieldManager required; conflicts with another manager unless forced', async () => {
    const ssa = (name: string, body: unknown, q: string) =>
      call('PATCH', `${RB}/${name}?${q}`, body, 'application/apply-patch+yaml');
    expect((await ssa('two', rb('two'), '')).status).toBe(400);
    expect((await ssa('two', rb('two'), 'fieldManager=a')).status).toBe(201);
    const other = {
      ...rb('two'),
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob@acme.example' }],
    };
    const conflict = await ssa('two', other, 'fieldManager=b');
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toContain('conflict with "a"');
    const forced = await ssa('two', other, 'fieldManager=b&force=true');
    expect(forced.status).toBe(200);
    expect(forced.body.subjects[0].name).toBe('bob@acme.example');
    expect(forced.body.metadata.managedFields.map((m: { manager: string }) => m.manager)).toContain('b');
    // A field the manager stops applying is removed.
    const label = await ssa(
      'three',
      { ...rb('three'), metadata: { name: 'three', labels: { keep: 'no' } } },
      'fieldManager=a',
    );
    expect(label.body.metadata.labels).toEqual({ keep: 'no' });
    const dropped = await ssa('three', rb('three'), 'fieldManager=a');
    expect(dropped.body.metadata.labels?.keep).toBeUndefined();
  });

  it('422 Invalid for a payload kubernetes-models rejects; 400 for unknown fields; 404 for a missing namespace', async () => {
    const bad = await call('POST', RB, {
      ...rb('bad'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.reason).toBe('Invalid');
    const unknown = await call('POST', RB, { ...rb('typo'), subjectz: [] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('subjectz');
    const nsMissing = await call('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/ghost/rolebindings', {
      ...rb('x'),
      metadata: { name: 'x', namespace: 'ghost' },
    });
    expect(nsMissing.status).toBe(404);
    expect(nsMissing.body.message).toBe('namespaces "ghost" not found');
  });

  it('lists with limit/continue and label selectors', async () => {
    for (const n of ['p1', 'p2', 'p3'])
      await call('POST', RB, {
        ...rb(n),
        metadata: { name: n, namespace: 'team-a', labels: { page: 'yes' } },
      });
    const first = await call('GET', `${RB}?labelSelector=page%3Dyes&limit=2`);
    expect(first.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual([
      'p1',
      'p2',
    ]);
    expect(first.body.metadata.remainingItemCount).toBe(1);
    const second = await call(
      'GET',
      `${RB}?labelSelector=page%3Dyes&limit=2&continue=${first.body.metadata.continue}`,
    );
    expect(second.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['p3']);
    expect(second.body.metadata.continue).toBeUndefined();
    expect((await call('GET', `${RB}?labelSelector=%3D%3D`)).status).toBe(400);
  });

  it('parses the label selector grammar', () => {
    const sel = parseSelector('a=1,b!=2,c in (x, y),d notin (z),e,!f');
    if (typeof sel === 'string') throw new Error(sel);
    const match = (l: Record<string, string>) => sel.every((r) => r(l));
    expect(match({ a: '1', b: '3', c: 'y', d: 'w', e: '' })).toBe(true);
    expect(match({ a: '1', b: '2', c: 'y', e: '' })).toBe(false);
    expect(match({ a: '1', c: 'y', e: '', f: 'x' })).toBe(false);
    expect(parseSelector('a in x')).toBe('a in x');
  });
});

describe('TokenRequest and RBAC for ServiceAccount tokens', () => {
  let clock = Date.parse('2026-12-01T10:00:00Z');
  let kt: FakeKubernetes;
  const TOKEN = '/api/v1/namespaces/envc-bot/serviceaccounts/envc-bot/token';
  const tokenRequest = (spec: Record<string, unknown> = {}) => ({
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec,
  });
  async function raw(method: string, path: string, token: string, body?: unknown) {
    const r = await fetch(`${kt.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: raw JSON answers, read field by field in the tests
    return { status: r.status, body: (await r.json()) as Record<string, any> };
  }
  const rbac = 'rbac.authorization.k8s.io/v1';

  beforeAll(async () => {
    kt = await startFakeKubernetes({ now: () => clock, sealing: false });
    for (const name of ['envc-bot', 'team-a'])
      await kt.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await kt.seed({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'envc-bot', namespace: 'envc-bot' },
    });
    await kt.seed({
      apiVersion: rbac,
      kind: 'ClusterRole',
      metadata: { name: 'grants' },
      rules: [
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create', 'list'] },
        {
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['clusterroles'],
          verbs: ['bind'],
          resourceNames: ['envc:view'],
        },
      ],
    });
    await kt.seed({
      apiVersion: rbac,
      kind: 'RoleBinding',
      metadata: { name: 'grants', namespace: 'team-a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'grants' },
      subjects: [{ kind: 'ServiceAccount', name: 'envc-bot', namespace: 'envc-bot' }],
    });
  });
  afterAll(() => kt.close());

  it('201 with status.token and status.expirationTimestamp; 404 for an unknown ServiceAccount; 422 under 10 minutes', async () => {
    const ok = await raw('POST', TOKEN, kt.token, tokenRequest({ expirationSeconds: 600 }));
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      spec: { expirationSeconds: 600, audiences: ['https://kubernetes.default.svc.cluster.local'] },
      status: { expirationTimestamp: '2026-12-01T10:10:00.000Z' },
    });
    expect(typeof ok.body.status.token).toBe('string');
    const missing = await raw(
      'POST',
      '/api/v1/namespaces/envc-bot/serviceaccounts/nobody/token',
      kt.token,
      tokenRequest(),
    );
    expect(missing.status).toBe(404);
    expect(missing.body.reason).toBe('NotFound');
    const short = await raw('POST', TOKEN, kt.token, tokenRequest({ expirationSeconds: 599 }));
    expect(short.status).toBe(422);
    expect(short.body.message).toContain('may not specify a duration less than 10 minutes');
  });

  it('a ServiceAccount token is what RBAC grants: 403 without `create` on serviceaccounts/token, bind only on named roles, 401 once expired', async () => {
    const minted = (await raw('POST', TOKEN, kt.token, tokenRequest({ expirationSeconds: 600 }))).body.status
      .token as string;
    // It cannot mint itself a fresh token (no create on serviceaccounts/token): it cannot outlive its expiry.
    const self = await raw('POST', TOKEN, minted, tokenRequest());
    expect(self.status).toBe(403);
    expect(self.body.message).toBe(
      'serviceaccounts "envc-bot" is forbidden: User "system:serviceaccount:envc-bot:envc-bot" cannot create resource "serviceaccounts/token" in API group "" in the namespace "envc-bot"',
    );
    const binding = (role: string) => ({
      apiVersion: rbac,
      kind: 'RoleBinding',
      metadata: { name: `g-${role.replace(':', '-')}`, namespace: 'team-a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@acme.example' }],
    });
    const RBS = '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings';
    expect((await raw('POST', RBS, minted, binding('envc:view'))).status).toBe(201);
    const admin = await raw('POST', RBS, minted, binding('envc:break-glass'));
    expect(admin.status).toBe(403);
    expect(admin.body.message).toContain('attempting to grant RBAC permissions not currently held');
    // Its RoleBinding covers team-a only: another namespace, or all namespaces at once, is forbidden.
    expect((await raw('GET', RBS, minted)).status).toBe(200);
    expect((await raw('GET', '/apis/rbac.authorization.k8s.io/v1/rolebindings', minted)).status).toBe(403);
    expect((await raw('GET', '/api/v1/namespaces/team-a/secrets', minted)).status).toBe(403);
    clock += 600_000;
    expect((await raw('GET', RBS, minted)).status).toBe(401);
  });
});
