/**
 * Every object the Kubernetes emitter writes is valid: it passes its kubernetes-models schema, every field is
 * known to the official type definitions (client-node's type maps for built-in kinds, the CRD models' type
 * declarations for ArgoCD, Prometheus Operator, Sealed Secrets and cert-manager), every pod template passes
 * the restricted Pod Security Standard — for the default spec and for property-generated specs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { rootApplicationObjects } from '../../src/compiler/emitters/kubernetes/argocd.js';
import { emitKubernetes, loadKubernetesLibs } from '../../src/compiler/emitters/kubernetes/index.js';
import { arbitraryK8sSpec } from '../support/arbitrary-k8s-spec.js';
import {
  formatProblems,
  type KubeLike,
  manifestsOf,
  podSpecOf,
  restrictedViolations,
  validateObjects,
} from '../support/k8s-validate.js';
import { defaultModel, modelFromText } from '../support/model.js';

const libs = loadKubernetesLibs();

// biome-ignore lint/suspicious/noExplicitAny: the negative control edits arbitrary fields by path
type Mutable = KubeLike & { spec: Record<string, any> };

async function check(objects: KubeLike[]): Promise<string> {
  const problems = await validateObjects(objects);
  const pss = objects.flatMap((o) => {
    const spec = podSpecOf(o);
    return spec
      ? restrictedViolations(spec).map((v) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}: ${v}`)
      : [];
  });
  return [formatProblems(problems), ...pss].filter((x) => x !== '').join('\n');
}

describe('kubernetes objects validate', () => {
  it('for the default spec: schema, known fields, restricted pods', async () => {
    const model = await defaultModel();
    const { files } = emitKubernetes(model, await libs);
    const objects = manifestsOf(files).map((m) => m.object);
    expect(objects.length).toBeGreaterThan(200);
    const kinds = new Set(objects.map((o) => o.kind));
    for (const k of [
      'Namespace',
      'ResourceQuota',
      'LimitRange',
      'NetworkPolicy',
      'ClusterRole',
      'RoleBinding',
      'ServiceAccount',
      'Deployment',
      'Service',
      'Ingress',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'ServiceMonitor',
      'PrometheusRule',
      'ConfigMap',
      'SealedSecret',
      'AppProject',
      'ApplicationSet',
      'ClusterIssuer',
    ]) {
      expect(kinds, k).toContain(k);
    }
    expect(await check([...objects, ...(rootApplicationObjects(model) as unknown as KubeLike[])])).toBe('');
  });

  it('catches what it should: a typo, a wrong type, a missing field, an unsafe pod (negative control)', async () => {
    const { files } = emitKubernetes(await defaultModel(), await libs);
    const objects = manifestsOf(files).map((m) => m.object);
    const deploy = structuredClone(objects.find((o) => o.kind === 'Deployment')!) as Mutable;
    deploy.spec.replicaz = 2;
    deploy.spec.template.spec.containers[0].securityContext.runAsNonRoot = false;
    deploy.spec.template.spec.securityContext.runAsNonRoot = false;
    const appSet = structuredClone(objects.find((o) => o.kind === 'ApplicationSet')!) as Mutable;
    appSet.spec.template.spec.syncPolicy.syncOption = ['Prune=true'];
    const policy = structuredClone(objects.find((o) => o.kind === 'NetworkPolicy')!) as Mutable;
    policy.spec.policyTypes = ['Sideways'];
    const sealed = structuredClone(objects.find((o) => o.kind === 'SealedSecret')!) as Mutable;
    delete sealed.spec.encryptedData;
    const report = await check([deploy, appSet, policy, sealed]);
    expect(report).toContain('unknown field "replicaz"');
    expect(report).toContain('may run as root');
    expect(report).toContain('unknown field "syncOption"');
    expect(report).toMatch(
      /NetworkPolicy\/[^ ]+\/spec\/policyTypes\/0: must be equal to one of the allowed values/,
    );
    expect(report).toContain('must have required property encryptedData');
  });

  it('for property-generated specs (fast-check)', async () => {
    const l = await libs;
    const seen = { appNamespaces: 0, allowFrom: 0, clusterView: 0 };
    await fc.assert(
      fc.asyncProperty(arbitraryK8sSpec(), async (spec) => {
        const model = await modelFromText(stringify(spec));
        const { files, diagnostics } = emitKubernetes(model, l);
        expect(diagnostics).toEqual([]);
        const objects = manifestsOf(files).map((m) => m.object);
        expect(await check(objects)).toBe('');
        // Every service of every environment got its Deployment.
        const deployments = objects.filter((o) => o.kind === 'Deployment').length;
        expect(deployments).toBe(model.environments.reduce((n, e) => n + e.services.length, 0));
        if (model.environments.some((e) => e.namespaces.filter((n) => n.kind === 'app').length > 1))
          seen.appNamespaces++;
        if (files.some((f) => f.content.includes('envc.io/allow-from'))) seen.allowFrom++;
        if (files.some((f) => f.content.includes('name: envc:view:standing') && f.path.endsWith('rbac.yaml')))
          seen.clusterView++;
        // Deterministic for the same model.
        expect(emitKubernetes(model, l).files.map((f) => f.content)).toEqual(files.map((f) => f.content));
      }),
      { numRuns: 12, seed: 4242 },
    );
    // The generator really varied what the emitter reads (several teams, overrides, standing groups).
    expect(seen.appNamespaces).toBeGreaterThan(0);
    expect(seen.allowFrom).toBeGreaterThan(0);
    expect(seen.clusterView).toBeGreaterThan(0);
  }, 180_000);
});
