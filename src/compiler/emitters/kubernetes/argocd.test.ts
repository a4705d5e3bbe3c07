import { describe, expect, it } from 'vitest';
import { formatProblems, validateObjects } from '../../../../test/support/k8s-validate.js';
import { defaultSpecObject, modelFromSpec } from '../../../../test/support/model.js';
import { rootApplicationObjects, rootApplications, rootProjects } from './argocd.js';
import { emitDefault, emitModel } from './test-helpers.js';

type AppSet = {
  metadata: { name: string; namespace: string };
  spec: {
    generators: Array<{ list: { elements: Array<Record<string, string>> } }>;
    template: {
      spec: {
        project: string;
        destination: { name: string };
        syncPolicy: { automated?: unknown; syncOptions: string[] };
        ignoreDifferences: Array<{ kind: string; jsonPointers: string[] }>;
        source: { directory: { exclude: string } };
      };
    };
  };
};
type Project = {
  metadata: { name: string };
  spec: { sourceRepos: string[]; destinations: Array<{ name: string; namespace: string }> };
};

describe('argocd', () => {
  it('generates one Application per environment and service, plus the baseline', async () => {
    const { all } = await emitDefault();
    const prod = all('ApplicationSet', 'production')[0] as unknown as AppSet;
    expect(prod.metadata).toMatchObject({ name: 'envc-production', namespace: 'argocd' });
    expect(prod.spec.generators[0]!.list.elements).toEqual([
      {
        name: 'production-baseline',
        component: 'baseline',
        path: 'generated/kubernetes/production',
        namespace: 'envc-bot',
      },
      {
        name: 'production-sample-service',
        component: 'sample-service',
        path: 'generated/kubernetes/production/services/sample-service',
        namespace: 'team-a',
      },
    ]);
    expect(prod.spec.template.spec.project).toBe('production');
    expect(prod.spec.template.spec.destination.name).toBe('production');
    expect(prod.spec.template.spec.source.directory.exclude).toBe('argocd.yaml');
    const system = all('ApplicationSet', 'system')[0] as unknown as AppSet;
    expect(system.spec.template.spec.destination.name).toBe('in-cluster');
  });

  it('syncs automatically outside production and waits for a person in production (the spec toggle)', async () => {
    const { all } = await emitDefault();
    const sync = (env: string) =>
      (all('ApplicationSet', env)[0] as unknown as AppSet).spec.template.spec.syncPolicy;
    expect(sync('production').automated).toBeUndefined();
    expect(sync('staging').automated).toEqual({ prune: true, selfHeal: true });
    expect(sync('development').automated).toEqual({ prune: true, selfHeal: true });
    const spec = defaultSpecObject() as { environments: Record<string, { argocd?: { autoSync: boolean } }> };
    spec.environments.production!.argocd = { autoSync: true };
    spec.environments.staging!.argocd = { autoSync: false };
    const flipped = await emitModel(await modelFromSpec(spec));
    expect(
      (flipped.all('ApplicationSet', 'production')[0] as unknown as AppSet).spec.template.spec.syncPolicy
        .automated,
    ).toBeDefined();
    expect(
      (flipped.all('ApplicationSet', 'staging')[0] as unknown as AppSet).spec.template.spec.syncPolicy
        .automated,
    ).toBeUndefined();
  });

  it('never reverts a rotated secret or a rollout restart', async () => {
    const { all } = await emitDefault();
    const spec = (all('ApplicationSet', 'staging')[0] as unknown as AppSet).spec.template.spec;
    expect(spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    const sealed = spec.ignoreDifferences.find((d) => d.kind === 'SealedSecret')!;
    expect(sealed.jsonPointers).toEqual(
      expect.arrayContaining(['/spec/encryptedData', '/metadata/annotations/envc.io~1rotated-at']),
    );
    const deploy = spec.ignoreDifferences.find((d) => d.kind === 'Deployment')!;
    expect(deploy.jsonPointers).toEqual([
      '/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt',
    ]);
  });

  it('limits each project to the spec repository and the environment’s namespaces', async () => {
    const { all } = await emitDefault();
    const p = all('AppProject', 'staging')[0] as unknown as Project;
    expect(p.metadata.name).toBe('staging');
    expect(p.spec.sourceRepos).toEqual(['https://github.com/acme/platform.git']);
    expect(p.spec.destinations.every((d) => d.name === 'staging')).toBe(true);
    expect(p.spec.destinations.map((d) => d.namespace)).toEqual([
      'cert-manager',
      'data',
      'envc-bot',
      'ingress-nginx',
      'monitoring',
      'sealed-secrets',
      'team-a',
    ]);
  });

  it('gives the bot a project role that may only sync the named Applications (never get, update, patch or a wildcard)', async () => {
    const { all } = await emitDefault();
    const p = all('AppProject', 'production')[0] as unknown as Project & {
      spec: { roles: Array<{ name: string; policies: string[] }> };
    };
    expect(p.spec.roles).toEqual([
      {
        name: 'bot',
        description: "envc bot: start a sync of envc's Applications, nothing else",
        policies: [
          'p, proj:production:bot, applications, sync, production/production-baseline, allow',
          'p, proj:production:bot, applications, sync, production/production-sample-service, allow',
        ],
      },
    ]);
    const roots = rootProjects(await modelFromSpec(defaultSpecObject()))['envc-roots']!;
    const policies = roots.roles!.flatMap((r) => r.policies ?? []);
    expect(policies).toContain(
      'p, proj:envc-roots:bot, applications, sync, envc-roots/envc-production-root, allow',
    );
    for (const line of policies) {
      const [, subject, resource, action, object, effect] = line.split(', ');
      expect([subject, resource, action, effect]).toEqual([
        'proj:envc-roots:bot',
        'applications',
        'sync',
        'allow',
      ]);
      expect(object).toMatch(/^envc-roots\/envc-[a-z]+-root$/);
    }
  });

  it('describes one root Application per environment (argocd-apps format) that validates as an Application', async () => {
    const { model } = await emitDefault();
    const roots = rootApplications(model);
    expect(Object.keys(roots)).toEqual([
      'envc-development-root',
      'envc-production-root',
      'envc-staging-root',
      'envc-system-root',
    ]);
    expect(roots['envc-production-root']).toMatchObject({
      namespace: 'argocd',
      project: 'envc-roots',
      source: { path: 'generated/kubernetes/production', directory: { include: 'argocd.yaml' } },
      additionalLabels: { 'envc.io/environment': 'production' },
    });
    // No root lives in the permissive `default` project; production's root syncs only when the bot
    // starts it after an approved apply.
    for (const [name, root] of Object.entries(roots)) expect(root.project, name).not.toBe('default');
    expect(roots['envc-production-root']!.syncPolicy?.automated).toBeUndefined();
    expect(roots['envc-development-root']!.syncPolicy?.automated).toEqual({ prune: true, selfHeal: true });
    const project = rootProjects(model)['envc-roots']!;
    expect(project.sourceRepos).toEqual([model.gitops.repoURL]);
    expect(project.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }]);
    expect(project.clusterResourceWhitelist).toEqual([]);
    expect(project.namespaceResourceWhitelist).toEqual([
      { group: 'argoproj.io', kind: 'AppProject' },
      { group: 'argoproj.io', kind: 'ApplicationSet' },
    ]);
    const problems = await validateObjects(rootApplicationObjects(model) as never);
    expect(formatProblems(problems)).toBe('');
  });
});
