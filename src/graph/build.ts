/**
 * The platform as a graph: environments (clusters) holding their Terraform modules, namespaces, services,
 * data services and secrets, plus the access policies that reach into them. One neutral structure; the
 * Mermaid and DOT renderers only print it, so both show exactly the same thing. Pure.
 */
import { argocdHostOf } from '../compiler/emitters/terraform/index.js';
import type { EnvironmentModel, Model } from '../compiler/model.js';

export type NodeShape = 'box' | 'round' | 'cylinder' | 'hexagon' | 'parallelogram' | 'stadium';

export interface GraphNode {
  /** Unique across the graph; renderer-safe ([A-Za-z0-9_]). */
  id: string;
  /** Lines of the label. */
  label: string[];
  shape: NodeShape;
  kind: 'module' | 'namespace' | 'service' | 'data' | 'secret' | 'policy';
}

export interface GraphCluster {
  id: string;
  label: string;
  kind: 'environment' | 'namespace';
  nodes: GraphNode[];
  clusters: GraphCluster[];
}

export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
  style: 'solid' | 'dotted';
}

export interface PlatformGraph {
  title: string;
  clusters: GraphCluster[];
  /** Nodes outside every environment (access policies). */
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Identifier-safe: `sample-service` → `sample_service`; a prefix keeps kinds apart. */
export function nodeId(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9]+/g, '_')).join('__');
}

/**
 * The Terraform modules an environment's stack instantiates, by the Terraform emitter's own rules
 * (templates/terraform/environment/main.tf.hbs): network, cluster, ingress, secrets bootstrap and
 * observability everywhere; data services where the spec has any; ArgoCD and the state bucket in the
 * environments that host them.
 */
export function environmentModules(env: EnvironmentModel, model: Model): string[] {
  // The cluster root's modules, then the platform root's (docs/adr/0009); the state bucket has its own root.
  const mods = ['lke-cluster', 'network'];
  if (env.dataServices.postgres) mods.push('data-services');
  mods.push('ingress', 'secrets-bootstrap', 'observability');
  if (env.dataServices.postgres || env.dataServices.redis) mods.push('app-data');
  if (argocdHostOf(model)?.name === env.name) mods.push('argo-bootstrap');
  return mods;
}

function moduleLabel(env: EnvironmentModel, mod: string): string[] {
  switch (mod) {
    case 'lke-cluster':
      return [
        `lke-cluster: ${env.cluster.label}`,
        `${env.cluster.highAvailability ? 'HA' : 'single'} control plane, k8s ${env.kubernetesVersion}`,
        `pools: ${env.cluster.pools.map((p) => `${p.name}×${p.count}`).join(', ')}`,
      ];
    case 'network':
      return ['network', `firewall + DNS ${env.network.dns.zone}`];
    default:
      return [mod];
  }
}

export function buildGraph(model: Model): PlatformGraph {
  const edges: GraphEdge[] = [];
  const clusters: GraphCluster[] = model.environments.map((env) => {
    const e = (...p: string[]) => nodeId(env.name, ...p);
    const nodes: GraphNode[] = environmentModules(env, model).map((m) => ({
      id: e('mod', m),
      label: moduleLabel(env, m),
      shape: 'box',
      kind: 'module',
    }));
    const platformNs = env.namespaces.filter((n) => n.kind === 'platform').map((n) => n.name);
    if (platformNs.length > 0) {
      nodes.push({
        id: e('platform_ns'),
        label: ['platform namespaces', platformNs.join(', ')],
        shape: 'round',
        kind: 'namespace',
      });
    }
    if (env.dataServices.postgres) {
      const pg = env.dataServices.postgres;
      nodes.push({
        id: e('data', 'postgres'),
        label: [`postgres ${pg.version}`, `${pg.nodes} node(s), ${pg.type}`],
        shape: 'cylinder',
        kind: 'data',
      });
    }
    if (env.dataServices.redis) {
      const r = env.dataServices.redis;
      nodes.push({
        id: e('data', 'redis'),
        label: [`redis ${r.version}`, `${r.replicas} replica(s), ${r.memory.text}`],
        shape: 'cylinder',
        kind: 'data',
      });
    }
    for (const s of env.secrets) {
      nodes.push({
        id: e('secret', s.name),
        label: [`secret ${s.name}`, s.source],
        shape: 'parallelogram',
        kind: 'secret',
      });
      for (const user of s.usedBy)
        edges.push({ from: e('secret', s.name), to: e('svc', user), style: 'dotted' });
    }
    const nsClusters: GraphCluster[] = env.namespaces
      .filter((n) => n.kind === 'app')
      .map((ns) => ({
        id: e('ns', ns.name),
        label: `namespace ${ns.name}`,
        kind: 'namespace',
        clusters: [],
        nodes: env.services
          .filter((s) => s.namespace === ns.name)
          .map((s) => ({
            id: e('svc', s.name),
            label: [
              s.name,
              s.ingress ? s.ingress.host : `:${s.port} (no ingress)`,
              `${s.autoscaling ? `${s.autoscaling.min}-${s.autoscaling.max}` : s.replicas} replica(s)`,
            ],
            shape: 'stadium' as const,
            kind: 'service' as const,
          })),
      }));
    for (const s of env.services) {
      for (const d of s.dataServices)
        edges.push({ from: e('svc', s.name), to: e('data', d), style: 'solid' });
      for (const src of s.allowFrom) {
        const from = env.services.find((x) => `${x.namespace}/${x.name}` === src);
        if (from)
          edges.push({
            from: e('svc', from.name),
            to: e('svc', s.name),
            label: 'allow-from',
            style: 'solid',
          });
      }
    }
    return {
      id: nodeId('env', env.name),
      label: `${env.name} (${env.tier}, ${env.region})`,
      kind: 'environment' as const,
      nodes,
      clusters: nsClusters,
    };
  });

  const nodes: GraphNode[] = model.accessPolicies.map((p) => ({
    id: nodeId('policy', p.name),
    label: [
      `access ${p.name}`,
      `${p.role}${p.scope === 'cluster' ? ' (cluster)' : ''}, max ${p.maxDuration}${p.breakGlass ? ', break-glass' : ''}`,
    ],
    shape: 'hexagon',
    kind: 'policy',
  }));
  for (const p of model.accessPolicies) {
    for (const env of p.environments) {
      edges.push({
        from: nodeId('policy', p.name),
        to: nodeId(env, 'mod', 'lke-cluster'),
        style: 'dotted',
        label: p.role,
      });
    }
  }
  return { title: `${model.platform} platform`, clusters, nodes, edges };
}

/** Every node id in the graph, clusters included (for renderers' sanity checks and tests). */
export function allNodes(graph: PlatformGraph): GraphNode[] {
  const out: GraphNode[] = [...graph.nodes];
  const walk = (c: GraphCluster) => {
    out.push(...c.nodes);
    c.clusters.forEach(walk);
  };
  graph.clusters.forEach(walk);
  return out;
}
