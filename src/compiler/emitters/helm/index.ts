/**
 * The Helm values emitter: `generated/helm/values/<env>/<release>.yaml` for the add-ons Terraform installs
 * (release names fixed; the Terraform modules read these paths). Every environment gets the observability
 * stack, the ingress controller, cert-manager and the Sealed Secrets controller; the environment hosting
 * ArgoCD also gets argo-cd, every environment declaring `dataServices.redis` gets redis, and every environment
 * with a GPU pool gets the NVIDIA device plugin. Pure and light:
 * no chart is rendered here.
 */
import type { EnvironmentModel, Model } from '../../model.js';
import { toYamlDocument } from '../kubernetes/yaml.js';
import { VALUES_FILE_RELEASES } from '../terraform/versions.js';
import type { Emitter, GeneratedFile } from '../types.js';
import { generatedHeader, withData } from '../types.js';
import { gpuPools, nvidiaDevicePlugin } from './gpu.js';
import { kubePrometheusStack } from './kube-prometheus-stack.js';
import { alloy, loki, tempo } from './logs-traces.js';
import { redisValues } from './redis.js';
import { sizing } from './sizing.js';
import { argoCd, certManager, ingressNginx, sealedSecrets, type Values } from './values.js';

/** The releases whose values this emitter writes: the Terraform chart table's values-file releases. */
export const RELEASES = VALUES_FILE_RELEASES;
export type Release = (typeof RELEASES)[number];

/** Releases installed in an environment (what the Terraform stack of that environment must wire). */
export function helmReleasesFor(env: EnvironmentModel): Release[] {
  return RELEASES.filter((r) => {
    if (r === 'argo-cd') return env.hosts.includes('argocd');
    if (r === 'redis') return env.dataServices.redis !== undefined;
    if (r === 'nvidia-device-plugin') return gpuPools(env).length > 0;
    return true;
  });
}

export function valuesPath(env: string, release: Release): string {
  return `helm/values/${env}/${release}.yaml`;
}

export function releaseValues(model: Model, env: EnvironmentModel, release: Release): Values {
  const s = sizing(env);
  switch (release) {
    case 'argo-cd':
      return argoCd(model, env, s);
    case 'cert-manager':
      return certManager(env, s);
    case 'ingress-nginx':
      return ingressNginx(env, s);
    case 'kube-prometheus-stack':
      return kubePrometheusStack(model, env, s);
    case 'loki':
      return loki(env, s);
    case 'alloy':
      return alloy(env, s);
    case 'nvidia-device-plugin': {
      const v = nvidiaDevicePlugin(env);
      if (!v) throw new Error(`environment ${env.name} has no GPU pool`);
      return v;
    }
    case 'redis': {
      const v = redisValues(model, env);
      if (!v) throw new Error(`environment ${env.name} declares no Redis`);
      return v;
    }
    case 'sealed-secrets':
      return sealedSecrets(env, s);
    case 'tempo':
      return tempo(env, s);
  }
}

/** What the header says about the size: Redis follows its own spec block, the add-ons the tier. */
function note(env: EnvironmentModel, release: Release): string {
  const redis = env.dataServices.redis;
  if (release === 'redis' && redis)
    return redis.replicas > 1 ? ` (${redis.replicas} replicas with Sentinel)` : ' (one replica, standalone)';
  if (release === 'nvidia-device-plugin') return '';
  return sizing(env).ha ? ' (sized for HA)' : '';
}

export function emitHelm(model: Model): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const env of model.environments) {
    for (const release of helmReleasesFor(env)) {
      const values = releaseValues(model, env, release);
      const file: GeneratedFile = {
        path: valuesPath(env.name, release),
        content: `${generatedHeader('#')}# values for the ${release} release in ${env.name}${note(env, release)}\n${toYamlDocument(values)}`,
        // Sizing and retention come from the environment's block (tier, observability); Redis from its own.
        sources: [
          {
            resource: `helm:${release}`,
            origin:
              release === 'redis' && env.dataServices.redis ? env.dataServices.redis.origin : env.origin,
          },
        ],
      };
      files.push(withData(file, values));
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export const helmEmitter: Emitter = {
  name: 'helm',
  emit(model) {
    return { files: emitHelm(model), diagnostics: [] };
  },
};
