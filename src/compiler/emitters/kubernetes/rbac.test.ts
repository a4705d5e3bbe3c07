import { describe, expect, it } from 'vitest';
import { defaultModel, defaultSpecObject, modelFromSpec } from '../../../../test/support/model.js';
import { accessRoleName, accessRules, DEBUG_SUBRESOURCES, rbac } from './rbac.js';

type Rule = {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
};
type Obj = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  rules?: Rule[];
  roleRef?: { kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace?: string }>;
  automountServiceAccountToken?: boolean;
  type?: string;
};

async function rbacOf(envName: string, spec?: object) {
  const model = spec ? await modelFromSpec(spec) : await defaultModel();
  const env = model.environments.find((e) => e.name === envName)!;
  return rbac(model, env).map((m) => m.object as unknown as Obj);
}

const botBound = (objs: Obj[]) => {
  const boundRoles = objs.filter(
    (o) =>
      (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') &&
      o.subjects?.some((s) => s.kind === 'ServiceAccount' && s.name === 'envc-bot'),
  );
  return boundRoles.map(
    (b) =>
      objs.find(
        (o) => (o.kind === 'ClusterRole' || o.kind === 'Role') && o.metadata.name === b.roleRef!.name,
      )!,
  );
};

describe('rbac: access packages', () => {
  it('emits the ClusterRoles the environment’s policies grant', async () => {
    const prod = await rbacOf('production');
    const packages = prod
      .filter(
        (o) =>
          o.kind === 'ClusterRole' && o.metadata.labels?.['app.kubernetes.io/component'] === 'access-package',
      )
      .map((o) => o.metadata.name);
    expect(packages).toEqual(['envc:break-glass', 'envc:edit', 'envc:view']);
    const dev = await rbacOf('development');
    expect(
      dev
        .filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'access-package')
        .map((o) => o.metadata.name),
    ).toEqual(['envc:edit', 'envc:view']);
    expect(accessRoleName({ role: 'admin', breakGlass: true })).toBe('envc:break-glass');
    expect(accessRoleName({ role: 'view', breakGlass: false })).toBe('envc:view');
  });

  it('grants increasing rights: view reads no secrets and writes nothing; edit writes workloads but no RBAC; admin adds RBAC', () => {
    const verbsOn = (rules: Rule[], resource: string) =>
      new Set(rules.filter((r) => r.resources?.includes(resource)).flatMap((r) => r.verbs));
    const view = accessRules('view');
    expect([...verbsOn(view, 'secrets')]).toEqual([]);
    for (const r of view)
      expect(
        r.verbs.every((v) => ['get', 'list', 'watch'].includes(v)),
        JSON.stringify(r),
      ).toBe(true);
    const edit = accessRules('edit');
    expect(verbsOn(edit, 'deployments').has('patch')).toBe(true);
    expect(verbsOn(edit, 'secrets').has('get')).toBe(false);
    expect(edit.some((r) => r.apiGroups?.includes('rbac.authorization.k8s.io'))).toBe(false);
    // A shell or a tunnel into a pod is `debug` only: edit (and admin, built on it) never has them.
    for (const level of ['view', 'edit', 'admin'] as const)
      for (const sub of DEBUG_SUBRESOURCES)
        expect([...verbsOn(accessRules(level), sub)], `${level} ${sub}`).toEqual([]);
    const debug = accessRules('debug');
    for (const sub of DEBUG_SUBRESOURCES) expect(verbsOn(debug, sub).has('create'), sub).toBe(true);
    expect(verbsOn(debug, 'deployments').has('patch')).toBe(false);
    expect([...verbsOn(debug, 'secrets')]).toEqual([]);
    const admin = accessRules('admin');
    expect(verbsOn(admin, 'rolebindings').has('create')).toBe(true);
    expect(verbsOn(admin, 'secrets').has('get')).toBe(true);
    expect(admin.some((r) => r.apiGroups?.includes('*'))).toBe(false);
    expect(accessRules('break-glass')).toContainEqual({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
  });

  it('binds the spec’s groups standing, per namespace or cluster-wide, with the identity prefix', async () => {
    const spec = defaultSpecObject() as {
      accessPolicies: Array<Record<string, unknown>>;
      identity: Record<string, unknown>;
    };
    spec.identity.groupPrefix = 'oidc:';
    spec.accessPolicies[0]!.groups = ['sre', 'devs'];
    spec.accessPolicies[3]!.groups = ['incident-commanders'];
    const prod = await rbacOf('production', spec);
    const ns = prod.find((o) => o.kind === 'RoleBinding' && o.metadata.name === 'envc:view:standing')!;
    expect(ns.metadata.namespace).toBe('team-a');
    expect(ns.roleRef).toMatchObject({ kind: 'ClusterRole', name: 'envc:view' });
    expect(ns.subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'oidc:devs' },
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'oidc:sre' },
    ]);
    const cluster = prod.find(
      (o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === 'envc:break-glass:standing',
    )!;
    expect(cluster.metadata.namespace).toBeUndefined();
    expect(cluster.roleRef).toMatchObject({ name: 'envc:break-glass' });
    // Without groups there is nothing standing: access is just in time only.
    expect((await rbacOf('production')).some((o) => o.metadata.name.endsWith(':standing'))).toBe(false);
  });
});

describe('rbac: the bot', () => {
  it('has its ServiceAccount in envc-bot, no legacy token Secret anywhere, and mounts a (projected) token only where it runs', async () => {
    const system = await rbacOf('system');
    const prod = await rbacOf('production');
    const sa = (objs: Obj[]) =>
      objs.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'envc-bot')!;
    expect(sa(system).metadata.namespace).toBe('envc-bot');
    expect(sa(system).automountServiceAccountToken).toBe(true);
    expect(sa(prod).automountServiceAccountToken).toBe(false);
    for (const env of ['development', 'staging', 'production', 'system'])
      expect(
        (await rbacOf(env)).filter((o) => o.type === 'kubernetes.io/service-account-token'),
        env,
      ).toEqual([]);
  });

  it('generated/ holds no legacy token Secret and grants nobody serviceaccounts/token (the bot cannot renew its own token)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { parseAllDocuments } = await import('yaml');
    const root = join(import.meta.dirname, '../../../../generated');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(20);
    const objects = files.flatMap((f) =>
      parseAllDocuments(readFileSync(join(root, f), 'utf8')).map((d) => ({ f, o: d.toJS() as Obj | null })),
    );
    expect(objects.filter(({ o }) => o?.type === 'kubernetes.io/service-account-token')).toEqual([]);
    const tokenRules = objects.filter(({ o }) =>
      (o?.rules ?? []).some((r) =>
        (r.resources ?? []).some((x) => x === 'serviceaccounts/token' || x === '*'),
      ),
    );
    // Only break-glass (all resources, granted through its approval path) may reach that subresource.
    expect(tokenRules.map(({ o }) => o!.metadata.name).every((n) => n === 'envc:break-glass')).toBe(true);
  });

  it('may bind only the access packages of this environment (bind with resourceNames, never escalate or wildcards)', async () => {
    const prod = await rbacOf('production');
    const rules = botBound(prod).flatMap((r) => r.rules!);
    for (const r of rules) {
      expect(r.verbs).not.toContain('escalate');
      expect(r.verbs).not.toContain('*');
      expect(r.resources).not.toContain('*');
      expect(r.apiGroups).not.toContain('*');
      if (r.verbs.includes('bind')) expect(r.resourceNames?.length, JSON.stringify(r)).toBeGreaterThan(0);
    }
    const binds = rules.filter((r) => r.verbs.includes('bind')).flatMap((r) => r.resourceNames!);
    expect(binds.sort()).toEqual(['envc:break-glass', 'envc:edit', 'envc:view']);
    // Roles and ClusterRoles themselves are never writable by the bot.
    expect(
      rules.some(
        (r) =>
          (r.resources ?? []).some((x) => x === 'roles' || x === 'clusterroles') &&
          r.verbs.some((v) => v !== 'bind'),
      ),
    ).toBe(false);
  });

  it('can create and delete time-bound bindings, restart Deployments, patch SealedSecrets and read ArgoCD Applications — and no more', async () => {
    const system = await rbacOf('system');
    const prod = await rbacOf('production');
    const can = (objs: Obj[], verb: string, resource: string) =>
      botBound(objs).some((r) =>
        r.rules!.some((x) => x.verbs.includes(verb) && x.resources?.includes(resource)),
      );
    expect(can(prod, 'create', 'rolebindings')).toBe(true);
    expect(can(prod, 'delete', 'rolebindings')).toBe(true);
    expect(can(prod, 'create', 'clusterrolebindings')).toBe(true); // break-glass is cluster-scoped
    expect(can(prod, 'patch', 'deployments')).toBe(true);
    expect(can(prod, 'patch', 'sealedsecrets')).toBe(true);
    expect(can(prod, 'get', 'secrets')).toBe(false);
    expect(can(prod, 'create', 'deployments')).toBe(false);
    expect(can(prod, 'patch', 'applications')).toBe(false);
    // On the ArgoCD cluster the bot reads Applications (to find an environment's) and writes none: it starts
    // syncs through the ArgoCD API with its project roles' tokens (argocd.test.ts), so no spec is patchable.
    const argoRules = botBound(system)
      .flatMap((r) => r.rules!)
      .filter((r) => r.resources?.includes('applications'));
    expect(argoRules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['get', 'list', 'watch'] },
    ]);
    // Namespaced rights come through RoleBindings in the namespaces concerned, not cluster-wide.
    const nsBindings = prod
      .filter((o) => o.kind === 'RoleBinding' && o.metadata.name === 'envc:bot:grants')
      .map((o) => o.metadata.namespace);
    expect(nsBindings).toEqual(['team-a']);
    // Development has no cluster-scoped policy: no ClusterRoleBinding for the bot there.
    expect((await rbacOf('development')).some((o) => o.kind === 'ClusterRoleBinding')).toBe(false);
  });
});
