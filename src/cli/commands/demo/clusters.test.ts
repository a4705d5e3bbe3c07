import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kubernetesFromKubeconfig } from '../../../integrations/kubernetes.js';
import { type DemoClusters, startDemoClusters } from './clusters.js';

/**
 * The demo's clusters take the compiled namespaces and RBAC as they are (the stand-in validates every
 * object with kubernetes-models and the client's type maps), and their kubeconfigs work with the real client.
 */
describe('envc demo clusters', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envc-demo-clusters-'));
  let clusters: DemoClusters | undefined;
  afterAll(async () => {
    await clusters?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds the generated namespaces and RBAC of an environment, refusing none', async () => {
    const generated = resolve(import.meta.dirname, '../../../../generated/kubernetes/production');
    cpSync(generated, join(dir, 'generated/kubernetes/production'), { recursive: true });
    clusters = await startDemoClusters(dir, join(dir, 'kube'), ['production']);
    expect(clusters.refused).toEqual([]);
    const names = (kind: string, apiVersion = 'v1', ns?: string) =>
      clusters!.list('production', apiVersion, kind, ns).map((o) => o.metadata.name);
    expect(names('Namespace')).toEqual(expect.arrayContaining(['team-a', 'envc-bot']));
    expect(names('ServiceAccount', 'v1', 'envc-bot')).toContain('envc-bot');
    expect(names('ClusterRole', 'rbac.authorization.k8s.io/v1').length).toBeGreaterThan(0);
    // The kubeconfig is private to the user and reaches the stand-in through @kubernetes/client-node.
    const file = join(dir, 'kube', 'production.yaml');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const { readFile } = await import('node:fs/promises');
    const kube = await kubernetesFromKubeconfig(await readFile(file, 'utf8'));
    const seeded = names('RoleBinding', 'rbac.authorization.k8s.io/v1', 'team-a');
    expect(seeded).toContain('envc:bot:grants');
    expect((await kube.listRoleBindings('team-a')).map((b) => b.metadata.name).sort()).toEqual(seeded.sort());
  }, 60_000);
});
