/**
 * The outside world rotation and JIT access talk to, built once from the process environment (the CLI and
 * the bot both use this; tests build their own against local servers):
 *
 *   LINODE_TOKEN, LINODE_API_URL                   the Linode API (URL only for tests)
 *   ENVC_KUBECONFIG_<ENV>, ENVC_KUBECONFIG_DIR     a kubeconfig per environment (else LKE's, via the API)
 *   ENVC_SEALED_SECRETS_NAMESPACE / _SERVICE       where the Sealed Secrets controller's service is
 */
import type { Model } from '../compiler/model.js';
import { environment } from '../compiler/model.js';
import type { OutboundReporter } from '../net/outbound.js';
import {
  DEFAULT_SEALED_SECRETS,
  type KubernetesApi,
  kubeconfigFor,
  kubernetesFromKubeconfig,
} from './kubernetes.js';
import { type LinodeApi, linodeApiFromEnv } from './linode.js';

export interface Integrations {
  kube(env: string): Promise<KubernetesApi>;
  linode(): Promise<LinodeApi>;
  sealedSecrets: { namespace: string; service: string };
}

/** `report` is told of every failed call to the Linode and Kubernetes APIs (src/net/outbound.ts). */
export function integrationsFromEnv(
  env: NodeJS.ProcessEnv,
  model: Model,
  report?: OutboundReporter,
): Integrations {
  let linode: Promise<LinodeApi> | undefined;
  const clusters = new Map<string, Promise<KubernetesApi>>();
  const getLinode = () => {
    linode ??= linodeApiFromEnv(env, report);
    // A failed attempt (no token) is not cached: the next call reports it again.
    linode.catch(() => {
      linode = undefined;
    });
    return linode;
  };
  return {
    linode: getLinode,
    kube(name) {
      let k = clusters.get(name);
      if (!k) {
        const label = environment(model, name)?.cluster.label;
        k = kubeconfigFor(name, {
          env,
          ...(env.LINODE_TOKEN ? { linode: getLinode } : {}),
          ...(label ? { clusterLabel: label } : {}),
        }).then((yaml) => kubernetesFromKubeconfig(yaml, report));
        clusters.set(name, k);
        k.catch(() => clusters.delete(name));
      }
      return k;
    },
    sealedSecrets: {
      namespace: env.ENVC_SEALED_SECRETS_NAMESPACE || DEFAULT_SEALED_SECRETS.namespace,
      service: env.ENVC_SEALED_SECRETS_SERVICE || DEFAULT_SEALED_SECRETS.service,
    },
  };
}

/** Who runs a CLI command, for the audit log: ENVC_ACTOR, the CI actor, else user@host. */
export function cliActor(env: NodeJS.ProcessEnv, hostname: string): string {
  if (env.ENVC_ACTOR) return env.ENVC_ACTOR;
  if (env.GITHUB_ACTOR) return `github:${env.GITHUB_ACTOR}`;
  return `${env.USER ?? env.LOGNAME ?? 'unknown'}@${hostname}`;
}
