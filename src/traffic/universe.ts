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
import { COMPONENTS } from '../compiler/emitters/kubernetes/platform.js';

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
}

export const nsKey = (env: string, ns: string) => `${env}/${ns}`;

interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

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

export function buildUniverse(objects: ReadonlyArray<{ env: string; object: RawObject }>): Universe {
  const namespaces = new Map<string, Namespace>();
  const pods: Pod[] = [];
  const policies: NetworkPolicy[] = [];
  for (const { env, object: o } of objects) {
    const name = o.metadata?.name ?? '';
    const ns = o.metadata?.namespace ?? '';
    if (o.kind === 'Namespace') {
      namespaces.set(nsKey(env, name), { env, name, labels: { ...(o.metadata?.labels ?? {}) } });
    } else if (o.kind === 'Deployment' && o.spec) {
      const template = o.spec.template as {
        metadata?: { labels?: Record<string, string> };
        spec?: {
          containers?: Array<{ ports?: Array<{ name?: string; containerPort: number; protocol?: string }> }>;
        };
      };
      const ports = (template.spec?.containers ?? []).flatMap((c) =>
        (c.ports ?? []).map((p) => ({
          ...(p.name ? { name: p.name } : {}),
          port: p.containerPort,
          protocol: (p.protocol ?? 'TCP') as PortSpec['protocol'],
        })),
      );
      pods.push({
        env,
        namespace: ns,
        name,
        labels: { ...(template.metadata?.labels ?? {}) },
        ports,
        kind: 'service',
      });
    } else if (o.kind === 'NetworkPolicy' && o.spec) {
      const spec = o.spec;
      policies.push({
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
  return { environments, namespaces, pods, policies };
}
