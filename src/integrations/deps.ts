/**
 * The outside world rotation and JIT access talk to, built once from the process environment (the CLI and
 * the bot both use this; tests build their own against local servers):
 *
 *   LINODE_TOKEN, LINODE_API_URL                   the Linode API (URL only for tests)
 *   ENVC_KUBECONFIG_<ENV>, ENVC_KUBECONFIG_DIR     a kubeconfig per environment (else LKE's, via the API),
 *                                                  used only to mint the bot's short-lived token (TokenRequest)
 *   ENVC_KUBE_TOKEN_SECONDS                        that token's lifetime (default 600, the API's minimum)
 *   ENVC_SEALED_SECRETS_NAMESPACE / _SERVICE       where the Sealed Secrets controller's service is
 */
import { BOT_NAMESPACE, BOT_SERVICE_ACCOUNT } from '../compiler/emitters/kubernetes/platform.js';
import type { Model } from '../compiler/model.js';
import { environment } from '../compiler/model.js';
import { boundKubernetes } from './kube-token.js';
import { DEFAULT_SEALED_SECRETS, type KubernetesApi, kubeconfigFor } from './kubernetes.js';
import { type LinodeApi, linodeApiFromEnv } from './linode.js';

export interface Integrations {
  kube(env: string): Promise<KubernetesApi>;
  linode(): Promise<LinodeApi>;
  sealedSecrets: { namespace: string; service: string };
}

export function integrationsFromEnv(env: NodeJS.ProcessEnv, model: Model): Integrations {
  let linode: Promise<LinodeApi> | undefined;
  const clusters = new Map<string, Promise<KubernetesApi>>();
  const getLinode = () => {
    linode ??= linodeApiFromEnv(env);
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
        }).then((issuer) =>
          // Every call acts as the bot's ServiceAccount, with a token minted for minutes, never the
          // (often cluster-admin) kubeconfig itself: the generated RBAC is all the bot can do.
          boundKubernetes(issuer, {
            namespace: BOT_NAMESPACE,
            serviceAccount: BOT_SERVICE_ACCOUNT,
            expirationSeconds: Number(env.ENVC_KUBE_TOKEN_SECONDS) || 600,
          }),
        );
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
