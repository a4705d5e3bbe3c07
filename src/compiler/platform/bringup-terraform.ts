/** Bring-up nodes of one Terraform root's resources: what each provides and needs (CRDs, Secrets, namespaces). Pure. */
import { type BringUpNode, type Need, originOf } from './bringup-graph.js';
import { CHART_ALWAYS_CREATES, CHART_CRDS, valuesNeeds } from './charts.js';
import { CODES } from './diagnostics.js';
import type { PlatformFacts } from './facts.js';
import type { TfResource, TfRoot } from './terraform.js';

/** Namespaces every Kubernetes cluster has from its first minute: nothing has to create them. */
const BUILTIN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

function releaseNode(
  facts: PlatformFacts,
  root: TfRoot,
  r: TfResource,
  step: number,
  id: string,
): BringUpNode {
  const chart = String(r.value(r.block.attrs.chart) ?? '');
  const name = String(r.value(r.block.attrs.name) ?? r.name);
  const namespace = String(r.value(r.block.attrs.namespace) ?? 'default');
  const env = root.env;
  const createNs = r.value(r.block.attrs.create_namespace) === true;
  const waits = r.value(r.block.attrs.wait) !== false;
  const values = facts.values.get(`${env}/${name}`) ?? {};
  const own = new Set(CHART_CRDS[chart] ?? []);
  const provides = [
    `release:${env}/${name}`,
    ...[...own].map((k) => `crd:${env}:${k}`),
    ...(createNs ? [`ns:${env}/${namespace}`] : []),
    ...(chart === 'sealed-secrets' ? [`controller:${env}:sealed-secrets`] : []),
    ...(chart === 'argo-cd' ? ['argocd', `registered:${env}`] : []),
  ];
  const needs: Need[] = [];
  const vn = valuesNeeds(values);
  const kinds = new Map<string, string>();
  for (const k of vn.kinds) if (!own.has(k.kind) && !kinds.has(k.kind)) kinds.set(k.kind, k.path);
  for (const k of CHART_ALWAYS_CREATES[chart] ?? []) if (!own.has(k)) kinds.set(k, '(chart)');
  for (const [kind, path] of kinds)
    needs.push({
      key: `crd:${env}:${kind}`,
      blocking: true,
      code: CODES.crdMissing,
      what: `its values create a ${kind} (${path})`,
    });
  for (const s of vn.secrets)
    needs.push({
      key: `secret:${env}/${namespace}/${s.name}`,
      blocking: waits,
      code: CODES.secretMissing,
      what: `its values read the Secret ${namespace}/${s.name} (${s.path})${waits ? ' and Terraform waits for the release to be ready' : ''}`,
    });
  if (!createNs && !BUILTIN_NAMESPACES.has(namespace))
    needs.push({
      key: `ns:${env}/${namespace}`,
      blocking: true,
      code: CODES.namespaceMissing,
      what: `it installs into the namespace ${namespace}`,
    });
  return {
    id,
    step,
    env,
    title: `helm release ${name} (${chart}) in ${env}/${namespace}`,
    provides,
    needs,
    after: [],
    origin: originOf(facts, env, `helm:${name}`, r.address, `${r.address}[0]`),
  };
}

export function resourceNodes(
  facts: PlatformFacts,
  root: TfRoot,
  r: TfResource,
  step: number,
): BringUpNode[] {
  const id = `${root.dir}#${r.address}`;
  const env = root.env;
  const origin = originOf(facts, env, r.address, `${r.address}[0]`);
  if (r.instances && r.instances.length === 0) return [];
  if (r.type === 'helm_release') return [releaseNode(facts, root, r, step, id)];
  const base = { id, step, env, after: [], origin };
  if (r.type === 'linode_lke_cluster')
    return [{ ...base, title: `LKE cluster of ${env}`, provides: [`cluster:${env}`], needs: [] }];
  if (r.type === 'linode_object_storage_bucket') {
    const bucket = r.value(r.block.attrs.label) ?? r.value(r.block.attrs.bucket);
    return [
      {
        ...base,
        title: `Object Storage bucket ${String(bucket)}`,
        provides: [`bucket:${bucket}`],
        needs: [],
      },
    ];
  }
  if (r.type === 'kubernetes_secret_v1' || r.type === 'kubernetes_secret') {
    const meta = r.block.blocks.find((b) => b.type === 'metadata');
    const labels = meta?.attrs.labels ?? '';
    if (r.provider !== 'kubernetes' && /secret-type"\s*=\s*"cluster"/.test(labels))
      return [
        {
          ...base,
          title: `ArgoCD registration of ${env}'s cluster`,
          provides: [`registered:${env}`],
          needs: [],
        },
      ];
    const instances = r.instances ?? [undefined];
    return instances.map((each) => {
      const name = String(r.value(meta?.attrs.name, each) ?? r.name);
      const ns = String(r.value(meta?.attrs.namespace, each) ?? 'default');
      return {
        ...base,
        id: each === undefined ? id : `${id}[${each}]`,
        title: `Terraform Secret ${ns}/${name} in ${env}`,
        provides: [`secret:${env}/${ns}/${name}`],
        needs: [
          ...(BUILTIN_NAMESPACES.has(ns)
            ? []
            : [
                {
                  key: `ns:${env}/${ns}`,
                  blocking: true,
                  code: CODES.namespaceMissing,
                  what: `it writes the Secret ${ns}/${name}`,
                },
              ]),
        ],
      };
    });
  }
  if (r.type === 'kubernetes_namespace_v1' || r.type === 'kubernetes_namespace') {
    const meta = r.block.blocks.find((b) => b.type === 'metadata');
    const instances = r.instances ?? [undefined];
    return instances.map((each) => ({
      ...base,
      id: each === undefined ? id : `${id}[${each}]`,
      title: `namespace in ${env}`,
      provides: [`ns:${env}/${String(r.value(meta?.attrs.name, each))}`],
      needs: [],
    }));
  }
  return [{ ...base, title: `${r.address} in ${env}`, provides: [], needs: [] }];
}
