/**
 * `envc demo`'s clusters: one local Kubernetes API stand-in per environment (src/kubernetes-standin: the API's
 * contract for what envc uses, objects validated with kubernetes-models), seeded with the namespaces and RBAC
 * objects of generated/kubernetes/<env>, and a kubeconfig per environment in <dir>/kube — the bot finds them
 * through ENVC_KUBECONFIG_DIR like a real deployment does, so a JIT access grant creates its RoleBindings and
 * the expiry job deletes them.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from '../../../kubernetes-standin/resources.js';

/**
 * What the demo seeds, in this order: the namespaces a grant binds in, and the generated RBAC — the roles a
 * grant names and the bot's own ServiceAccount and bindings, which the stand-in enforces (the bot acts with a
 * token of its ServiceAccount, so it may do exactly what generated/ lets it).
 */
const SEEDED = ['Namespace', 'ClusterRole', 'Role', 'ServiceAccount', 'ClusterRoleBinding', 'RoleBinding'];

export interface DemoClusters {
  /** ENVC_KUBECONFIG_DIR for the bot. */
  kubeconfigDir: string;
  /** Objects of generated/ the stand-in refused (a finding about the generated manifests). */
  refused: string[];
  /** What the stand-in of an environment holds now (tests look at the grant's bindings). */
  list(env: string, apiVersion: string, kind: string, namespace?: string): K8sObject[];
  close(): Promise<void>;
}

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await yamlFiles(p)));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

export async function startDemoClusters(
  dir: string,
  kubeconfigDir: string,
  envs: string[],
): Promise<DemoClusters> {
  const { startFakeKubernetes } = await import('../../../kubernetes-standin/server.js');
  await mkdir(kubeconfigDir, { recursive: true });
  const clusters = new Map<string, Awaited<ReturnType<typeof startFakeKubernetes>>>();
  const refused: string[] = [];
  try {
    for (const env of envs) {
      // No Sealed Secrets controller: the demo rotates nothing, and its key would be generated for nothing.
      const k = await startFakeKubernetes({ sealing: false });
      clusters.set(env, k);
      const docs: K8sObject[] = [];
      for (const file of await yamlFiles(join(dir, 'generated', 'kubernetes', env)))
        for (const d of parseAllDocuments(await readFile(file, 'utf8'))) {
          const o = d.toJS() as K8sObject | null;
          if (o && SEEDED.includes(o.kind)) docs.push(o);
        }
      docs.sort((a, b) => SEEDED.indexOf(a.kind) - SEEDED.indexOf(b.kind));
      for (const o of docs)
        await k.seed(o).catch((err: Error) => {
          refused.push(`${env}: ${o.kind} ${o.metadata?.name}: ${err.message}`);
        });
      await writeFile(join(kubeconfigDir, `${env}.yaml`), k.kubeconfig(`envc-demo-${env}`), { mode: 0o600 });
    }
  } catch (err) {
    for (const k of clusters.values()) await k.close();
    throw err;
  }
  return {
    kubeconfigDir,
    refused,
    list: (env, apiVersion, kind, namespace) => clusters.get(env)?.list(apiVersion, kind, namespace) ?? [],
    async close() {
      for (const k of clusters.values()) await k.close();
    },
  };
}
