/**
 * The world `envc traffic` reasons about, built from generated Kubernetes objects: namespaces with their
 * labels, pods (from Deployments, plus the platform add-ons' pods from the shared component table) and
 * NetworkPolicies — across every environment at once.
 *
 * Environments are separate clusters, but the evaluator deliberately puts them in one flat network: the
 * policies must deny cross-environment traffic on their own (every namespaceSelector names the environment),
 * not merely because the clusters happen to be apart today.
 */
import { parseAllDocuments } from 'yaml';
import { COMPONENTS, POD_CIDR } from '../compiler/emitters/kubernetes/platform.js';
import { podTemplateOf, type RawObject } from './workloads.js';

export type { RawObject } from './workloads.js';

export interface PortSpec {
  name?: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface Namespace {
  env: string;
  name: string;
  labels: Record<string, string>;
}

export interface Pod {
  env: string;
  namespace: string;
  /** Service or component name (`sample-service`, `ingress-nginx`), or `*` for an unlabelled pod. */
  name: string;
  labels: Record<string, string>;
  ports: PortSpec[];
  kind: 'service' | 'component' | 'any';
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }>;
}

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface PolicyPort {
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  port?: number | string;
  endPort?: number;
}

export interface NetworkPolicy {
  env: string;
  namespace: string;
  name: string;
  podSelector: LabelSelector;
  policyTypes: Array<'Ingress' | 'Egress'>;
  ingress: Array<{ from?: PolicyPeer[]; ports?: PolicyPort[] }>;
  egress: Array<{ to?: PolicyPeer[]; ports?: PolicyPort[] }>;
}

export interface Universe {
  environments: string[];
  namespaces: Map<string, Namespace>;
  pods: Pod[];
  policies: NetworkPolicy[];
  /** Each environment's pod network (from the spec's `cluster.podCidr`; LKE's default otherwise). */
  podCidrs: Map<string, string>;
}

/** The label the API server puts on every namespace (NamespaceDefaultLabelName, GA in 1.22). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const nsKey = (env: string, ns: string) => `${env}/${ns}`;

/** Parses generated files (`kubernetes/<env>/...yaml`) into objects tagged with their environment. */
export function objectsFromFiles(
  files: ReadonlyArray<{ path: string; content: string }>,
): Array<{ env: string; object: RawObject }> {
  const out: Array<{ env: string; object: RawObject }> = [];
  for (const f of files) {
    const m = /^kubernetes\/([^/]+)\/(.+)\.ya?ml$/.exec(f.path);
    if (!m || m[2] === 'argocd') continue; // argocd.yaml lives in the ArgoCD cluster; it holds no policy
    for (const doc of parseAllDocuments(f.content)) {
      const object = doc.toJS() as RawObject | null;
      if (object && typeof object === 'object' && object.kind) out.push({ env: m[1]!, object });
    }
  }
  return out;
}

/**
 * Defaulting as the API server does it: policyTypes absent → Ingress, plus Egress when egress rules exist.
 */
function policyTypes(spec: Record<string, unknown>): Array<'Ingress' | 'Egress'> {
  const given = spec.policyTypes as Array<'Ingress' | 'Egress'> | undefined;
  if (given && given.length > 0) return given;
  return Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

export function buildUniverse(
  objects: ReadonlyArray<{ env: string; object: RawObject }>,
  podCidrs: ReadonlyMap<string, string> = new Map(),
): Universe {
  const namespaces = new Map<string, Namespace>();
  const podsByName = new Map<string, Pod>();
  const policiesByName = new Map<string, NetworkPolicy>();
  // A namespace exists once any object uses it; a Namespace object adds its labels. The API server labels
  // every namespace with its own name, so selectors on that label match even without a Namespace object.
  const useNamespace = (env: string, name: string, labels: Record<string, string> = {}) => {
    const key = nsKey(env, name);
    const had = namespaces.get(key);
    namespaces.set(key, {
      env,
      name,
      labels: { ...(had?.labels ?? {}), ...labels, [NAMESPACE_NAME_LABEL]: name },
    });
  };
  for (const { env, object: o } of objects) {
    const name = o.metadata?.name ?? '';
    if (o.kind === 'Namespace') {
      useNamespace(env, name, o.metadata?.labels ?? {});
      continue;
    }
    const ns = o.metadata?.namespace || 'default';
    const template = podTemplateOf(o);
    if (template) {
      useNamespace(env, ns);
      const containers = [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])];
      const ports = containers.flatMap((c) =>
        (c.ports ?? []).map((p) => ({
          ...(p.name ? { name: p.name } : {}),
          port: p.containerPort,
          protocol: (p.protocol ?? 'TCP') as PortSpec['protocol'],
        })),
      );
      // A team's manifest for a workload envc also generates replaces envc's (it is what will run).
      podsByName.set(`${env}/${ns}/${name}`, {
        env,
        namespace: ns,
        name,
        labels: { ...(template.metadata?.labels ?? {}) },
        ports,
        kind: 'service',
      });
    } else if (o.kind === 'NetworkPolicy' && o.spec) {
      useNamespace(env, ns);
      const spec = o.spec;
      policiesByName.set(`${env}/${ns}/${name}`, {
        env,
        namespace: ns,
        name,
        podSelector: (spec.podSelector as LabelSelector | undefined) ?? {},
        policyTypes: policyTypes(spec),
        ingress: (spec.ingress as NetworkPolicy['ingress'] | undefined) ?? [],
        egress: (spec.egress as NetworkPolicy['egress'] | undefined) ?? [],
      });
    }
  }
  const pods = [...podsByName.values()];
  const policies = [...policiesByName.values()];
  // The add-ons' pods (installed by Helm, so not in these files) where their namespace exists.
  for (const n of namespaces.values()) {
    for (const c of Object.values(COMPONENTS)) {
      if (c.namespace !== n.name) continue;
      pods.push({
        env: n.env,
        namespace: n.name,
        name: c.name,
        labels: { ...c.labels },
        ports: c.ports.map((p) => ({ ...p })),
        kind: 'component',
      });
    }
  }
  const environments = [...new Set([...namespaces.values()].map((n) => n.env))].sort();
  policies.sort((a, b) =>
    `${a.env}/${a.namespace}/${a.name}`.localeCompare(`${b.env}/${b.namespace}/${b.name}`),
  );
  const cidrs = new Map(environments.map((e) => [e, podCidrs.get(e) ?? POD_CIDR] as const));
  return { environments, namespaces, pods, policies, podCidrs: cidrs };
}
