/**
 * The Kubernetes emitter: `generated/kubernetes/<env>/` — one file per concern (namespaces, network
 * policies, RBAC, ArgoCD, monitoring, sealed secrets) and `services/<service>/` per service. cdk8s,
 * cdk8s-plus and the CRD models are imported inside emit(), so only a compile pays for them.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { EnvironmentModel, Model } from '../../model.js';
import type { EmitResult, Emitter, GeneratedFile } from '../types.js';
import { type ArgoModels, argocd, argocdHost } from './argocd.js';
import { type CertificateModels, certificates } from './certificates.js';
import { type MonitoringModels, monitoring } from './monitoring.js';
import { namespaces } from './namespaces.js';
import { networkPolicies } from './network-policies.js';
import { type KubeObject, type Manifest, objectKey } from './objects.js';
import { rbac } from './rbac.js';
import { file, withSyncWave } from './render.js';
import { type SealedSecretModels, sealedSecrets } from './sealed-secrets.js';
import { type Libs, SERVICE_FILES, serviceObjects } from './services.js';

export interface KubernetesLibs extends Libs {
  crd: ArgoModels & CertificateModels & MonitoringModels & SealedSecretModels;
}

/** Loads cdk8s, cdk8s-plus-33 and the typed CRD models (one kubernetes-models line). */
export async function loadKubernetesLibs(): Promise<KubernetesLibs> {
  const [cdk8s, plus, appProject, appSet, app, rule, monitor, sealed, issuer] = await Promise.all([
    import('cdk8s'),
    import('cdk8s-plus-33'),
    import('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject'),
    import('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet'),
    import('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application'),
    import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule'),
    import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'),
    import('@kubernetes-models/sealed-secrets/bitnami.com/v1alpha1/SealedSecret'),
    import('@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer'),
  ]);
  return {
    cdk8s,
    plus,
    crd: {
      AppProject: appProject.AppProject,
      ApplicationSet: appSet.ApplicationSet,
      Application: app.Application,
      PrometheusRule: rule.PrometheusRule,
      ServiceMonitor: monitor.ServiceMonitor,
      SealedSecret: sealed.SealedSecret,
      ClusterIssuer: issuer.ClusterIssuer,
    },
  } as KubernetesLibs;
}

/** Emits every environment's files with already-loaded libraries (the bench and tests call this directly). */
export function emitKubernetes(model: Model, libs: KubernetesLibs): EmitResult {
  const files: GeneratedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const env of model.environments) files.push(...environmentFiles(model, env, libs, diagnostics));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, diagnostics };
}

function environmentFiles(
  model: Model,
  env: EnvironmentModel,
  libs: KubernetesLibs,
  diagnostics: Diagnostic[],
): GeneratedFile[] {
  const dir = `kubernetes/${env.name}`;
  const out: GeneratedFile[] = [];
  const concern = (name: string, manifests: Manifest[], note?: string) => {
    if (manifests.length === 0) return;
    const origins = new Map(manifests.map((m) => [objectKey(m.object), m.origin]));
    const objects = manifests.map((m) => withSyncWave(m.object));
    out.push(file(`${dir}/${name}.yaml`, objects, origins, note));
  };

  concern('namespaces', namespaces(env));
  concern('network-policies', networkPolicies(env));
  concern('rbac', rbac(model, env));
  concern('certificates', certificates(env, libs.crd));
  const host = argocdHost(model);
  if (host) {
    concern(
      'argocd',
      argocd(model, env, libs.crd),
      `applied to the ArgoCD cluster (${host.name}, namespace argocd) by its root Application envc-${env.name}-root, not to ${env.name}`,
    );
  } else if (env === model.environments[0]) {
    diagnostics.push({
      code: 'ENVC3101',
      severity: 'warning',
      message: 'no environment hosts ArgoCD, so no ArgoCD projects or applications are generated',
      hint: 'add `hosts: [argocd]` to the system environment',
      path: 'environments',
    });
  }
  concern('monitoring', monitoring(model, env, libs.crd));
  concern('sealed-secrets', sealedSecrets(model, env, libs.crd));

  for (const s of env.services) {
    const objects = serviceObjects(env, s, libs, libs.crd).map(withSyncWave);
    const byFile = new Map<string, KubeObject[]>();
    for (const o of objects) {
      const name = SERVICE_FILES[o.kind];
      if (!name) throw new Error(`service ${s.name}: no file for kind ${o.kind}`);
      byFile.set(name, [...(byFile.get(name) ?? []), o]);
    }
    for (const [name, objs] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const origins = new Map(
        objs.map((o) => [objectKey(o), o.kind === 'Ingress' && s.ingress ? s.ingress.origin : s.origin]),
      );
      out.push(file(`${dir}/services/${s.name}/${name}`, objs, origins));
    }
  }
  return out;
}

export const kubernetesEmitter: Emitter = {
  name: 'kubernetes',
  async emit(model) {
    return emitKubernetes(model, await loadKubernetesLibs());
  },
};
