/** Where an environment's kubeconfig comes from: a file per environment, a directory, or the LKE cluster itself. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubernetesApiError } from './kubernetes.js';
import type { LinodeApi } from './linode.js';

export interface KubeconfigDeps {
  env: NodeJS.ProcessEnv;
  /** LKE fallback: the Linode API and the environment's cluster label. */
  linode?: () => Promise<LinodeApi>;
  clusterLabel?: string;
}

/**
 * The kubeconfig for one environment: `ENVC_KUBECONFIG_<ENV>` (a file), then `ENVC_KUBECONFIG_DIR/<env>.yaml`,
 * then the LKE cluster's kubeconfig from the Linode API (cluster found by its label).
 */
export async function kubeconfigFor(envName: string, deps: KubeconfigDeps): Promise<string> {
  const varName = `ENVC_KUBECONFIG_${envName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  const file = deps.env[varName];
  if (file) return readFile(file, 'utf8');
  const dir = deps.env.ENVC_KUBECONFIG_DIR;
  if (dir) return readFile(join(dir, `${envName}.yaml`), 'utf8');
  if (deps.linode && deps.clusterLabel) {
    const linode = await deps.linode();
    const cluster = await linode.findCluster(deps.clusterLabel);
    if (!cluster) {
      throw new KubernetesApiError(
        `no LKE cluster labelled "${deps.clusterLabel}" for environment "${envName}"`,
        undefined,
        undefined,
      );
    }
    return linode.getKubeconfig(cluster.id);
  }
  throw new KubernetesApiError(
    `no kubeconfig for environment "${envName}": set ${varName}, ENVC_KUBECONFIG_DIR or LINODE_TOKEN`,
    undefined,
    undefined,
  );
}
