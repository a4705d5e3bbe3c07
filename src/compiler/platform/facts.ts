/**
 * The platform as generated: one value holding what the bring-up and flow models reason about, read from
 * the emitted files (Terraform roots, Helm values, Kubernetes objects) plus the model for spec locations.
 * Plain data, so a test can delete one firewall rule, ACL entry, DNS record or policy rule and check again.
 * Pure.
 */
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { buildUniverse, type Universe } from '../../traffic/universe.js';
import type { GeneratedFile } from '../emitters/types.js';
import type { EnvironmentModel, Model, Origin } from '../model.js';
import { PROBE } from './sources.js';
import { readTerraform, type TfRoot } from './terraform.js';

export interface FirewallRule {
  label: string;
  action: 'ACCEPT' | 'DROP';
  protocol: string;
  ports?: string;
  ipv4: string[];
  ipv6: string[];
}

export interface EnvNetwork {
  firewall: {
    inboundPolicy: 'ACCEPT' | 'DROP';
    outboundPolicy: 'ACCEPT' | 'DROP';
    inbound: FirewallRule[];
    outbound: FirewallRule[];
  };
  acl: { enabled: boolean; ipv4: string[]; ipv6: string[] };
  dns: { zone: string; records: Array<{ key: string; name: string; type: string; target: string }> };
  postgres?: { allowList: string[] };
}

export interface K8sObject {
  /** Environment whose files hold it. */
  env: string;
  file: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  raw: Record<string, unknown>;
}

export interface PlatformFacts {
  model: Model;
  roots: TfRoot[];
  /** Parsed Helm values by `<env>/<release file name>`. */
  values: Map<string, unknown>;
  objects: K8sObject[];
  network: Map<string, EnvNetwork>;
  universe: Universe;
  /** Generated resource name (`module.x.helm_release.y`, `helm:loki`, `NetworkPolicy/ns/name`) → spec origin, per file. */
  sources: Map<string, Origin>;
}

function rulesOf(raw: unknown): FirewallRule[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((r: Record<string, unknown>) => ({
    label: String(r.label ?? ''),
    action: (r.action === 'DROP' ? 'DROP' : 'ACCEPT') as FirewallRule['action'],
    protocol: String(r.protocol ?? 'TCP'),
    ...(r.ports !== undefined && r.ports !== null ? { ports: String(r.ports) } : {}),
    ipv4: Array.isArray(r.ipv4) ? r.ipv4.map(String) : [],
    ipv6: Array.isArray(r.ipv6) ? r.ipv6.map(String) : [],
  }));
}

/** First value of `key` among an environment's roots' tfvars. */
function fromRoots(roots: readonly TfRoot[], env: string, key: string): Record<string, unknown> | undefined {
  for (const r of roots) {
    if (r.env !== env) continue;
    const v = r.tfvars[key];
    if (v && typeof v === 'object') return v as Record<string, unknown>;
  }
  return undefined;
}

/**
 * Outbound rules Terraform computes from the managed database (its members' addresses and the port Linode
 * reports): a module input named `*outbound_rules` fed from the data services. They stand for the
 * database's address on every port, which is what they admit once applied.
 */
function computedDatabaseEgress(roots: readonly TfRoot[], env: string): FirewallRule[] {
  const out: FirewallRule[] = [];
  for (const r of roots.filter((x) => x.env === env))
    for (const b of r.blocks.filter((x) => x.type === 'module'))
      for (const [k, expr] of Object.entries(b.attrs))
        if (/outbound_rules$/.test(k) && /data_services|database/.test(expr) && !expr.startsWith('var.'))
          out.push({
            label: `terraform:module.${b.labels[0]}.${k}`,
            action: 'ACCEPT',
            protocol: 'TCP',
            ipv4: [`${PROBE.database}/32`],
            ipv6: [],
          });
  return out;
}

function networkOf(env: EnvironmentModel, roots: readonly TfRoot[]): EnvNetwork {
  const fw = fromRoots(roots, env.name, 'firewall');
  const cluster = fromRoots(roots, env.name, 'cluster');
  const acl = (cluster?.control_plane_acl ?? fromRoots(roots, env.name, 'control_plane_acl')) as
    | Record<string, unknown>
    | undefined;
  const dns = fromRoots(roots, env.name, 'dns');
  const pg = fromRoots(roots, env.name, 'postgres');
  // Records Terraform writes for the Ingress hosts (name in the zone → the ingress NodeBalancer).
  const ingressHosts = (fromRoots(roots, env.name, 'ingress')?.hosts ?? {}) as Record<string, unknown>;
  const hostRecords = Object.entries(ingressHosts).map(([key, name]) => ({
    key: `ingress:${key}`,
    name: String(name),
    type: 'A',
    target: 'ingress NodeBalancer',
  }));
  const m = env.network;
  const records = dns?.records;
  return {
    firewall: fw
      ? {
          inboundPolicy: fw.inbound_policy === 'ACCEPT' ? 'ACCEPT' : 'DROP',
          outboundPolicy: fw.outbound_policy === 'DROP' ? 'DROP' : 'ACCEPT',
          inbound: rulesOf(fw.inbound),
          outbound: [...rulesOf(fw.outbound), ...computedDatabaseEgress(roots, env.name)],
        }
      : {
          inboundPolicy: m.firewall.inboundPolicy,
          outboundPolicy: m.firewall.outboundPolicy,
          inbound: m.firewall.inbound.map((r) => ({ ...r })),
          outbound: m.firewall.outbound.map((r) => ({ ...r })),
        },
    acl: acl
      ? {
          enabled: acl.enabled !== false,
          ipv4: Array.isArray(acl.ipv4) ? acl.ipv4.map(String) : [],
          ipv6: Array.isArray(acl.ipv6) ? acl.ipv6.map(String) : [],
        }
      : { ...env.cluster.controlPlaneAcl },
    dns: {
      zone: typeof dns?.zone === 'string' ? dns.zone : m.dns.zone,
      records: [
        ...(records && typeof records === 'object'
          ? Object.entries(records as Record<string, Record<string, unknown>>).map(([key, r]) => ({
              key,
              name: String(r.name ?? ''),
              type: String(r.type ?? ''),
              target: String(r.target ?? ''),
            }))
          : m.dns.records.map((r) => ({
              key: `${r.name}-${r.type}`,
              name: r.name,
              type: r.type,
              target: r.target,
            }))),
        ...hostRecords,
      ],
    },
    ...(pg
      ? { postgres: { allowList: Array.isArray(pg.allow_list) ? pg.allow_list.map(String) : [] } }
      : env.dataServices.postgres
        ? { postgres: { allowList: [...env.dataServices.postgres.allowList] } }
        : {}),
  };
}

/** Kinds whose bodies the models read; other objects only need their kind, name and namespace. */
const FULL_KINDS = new Set([
  'Namespace',
  'NetworkPolicy',
  'Deployment',
  'StatefulSet',
  'SealedSecret',
  'Ingress',
]);

const unquote = (s: string) => s.trim().replace(/^(["'])(.*)\1$/, '$2');

/**
 * envc's own YAML (one object per `---` document, two-space indents): documents of kinds the models do not
 * look into are read by their header lines only, which keeps the big dashboard ConfigMaps out of the parser.
 */
function objectsOf(files: readonly GeneratedFile[]): K8sObject[] {
  const out: K8sObject[] = [];
  for (const f of files) {
    const m = /^kubernetes\/([^/]+)\/.+\.ya?ml$/.exec(f.path);
    if (!m) continue;
    if (Array.isArray(f.data)) {
      // A compile in memory: the emitter's own objects, no YAML to read back.
      for (const o of f.data as Array<Record<string, unknown>>) {
        const meta = (o.metadata ?? {}) as { name?: string; namespace?: string };
        out.push({
          env: m[1]!,
          file: f.path,
          apiVersion: String(o.apiVersion ?? ''),
          kind: String(o.kind),
          name: meta.name ?? '',
          ...(meta.namespace ? { namespace: meta.namespace } : {}),
          raw: o,
        });
      }
      continue;
    }
    for (const text of f.content.split(/^---[ \t]*$/m)) {
      const kind = /^kind:[ \t]*(\S+)/m.exec(text)?.[1];
      if (!kind) continue;
      if (FULL_KINDS.has(kind)) {
        for (const doc of parseAllDocuments(text)) {
          const o = doc.toJS() as Record<string, unknown> | null;
          if (!o || typeof o !== 'object' || typeof o.kind !== 'string') continue;
          const meta = (o.metadata ?? {}) as { name?: string; namespace?: string };
          out.push({
            env: m[1]!,
            file: f.path,
            apiVersion: String(o.apiVersion ?? ''),
            kind: o.kind,
            name: meta.name ?? '',
            ...(meta.namespace ? { namespace: meta.namespace } : {}),
            raw: o,
          });
        }
        continue;
      }
      const meta = /^metadata:[ \t]*\n((?:[ \t]+.*\n?)*)/m.exec(text)?.[1] ?? '';
      const name = /^ {2}name:[ \t]*(.+)$/m.exec(meta)?.[1];
      const namespace = /^ {2}namespace:[ \t]*(.+)$/m.exec(meta)?.[1];
      const apiVersion = /^apiVersion:[ \t]*(.+)$/m.exec(text)?.[1] ?? '';
      out.push({
        env: m[1]!,
        file: f.path,
        apiVersion: unquote(apiVersion),
        kind,
        name: name ? unquote(name) : '',
        ...(namespace ? { namespace: unquote(namespace) } : {}),
        raw: { apiVersion: unquote(apiVersion), kind, metadata: { name: name ? unquote(name) : '' } },
      });
    }
  }
  return out;
}

/** Builds the facts from the model and every file the emitters produced (manifest.json may be absent). */
export function buildFacts(model: Model, files: readonly GeneratedFile[]): PlatformFacts {
  const roots = readTerraform(files);
  const values = new Map<string, unknown>();
  const sources = new Map<string, Origin>();
  for (const f of files) {
    for (const s of f.sources ?? []) if (!sources.has(s.resource)) sources.set(s.resource, s.origin);
    const m = /^helm\/values\/([^/]+)\/([^/]+)\.ya?ml$/.exec(f.path);
    if (m) values.set(`${m[1]}/${m[2]}`, f.data ?? parseYaml(f.content) ?? {});
  }
  const network = new Map<string, EnvNetwork>();
  for (const env of model.environments) network.set(env.name, networkOf(env, roots));
  const objects = objectsOf(files);
  // The same objects feed the NetworkPolicy evaluator (argocd.yaml lands in the ArgoCD cluster: no policies).
  const universe = buildUniverse(
    objects
      .filter((o) => !/\/argocd\.ya?ml$/.test(o.file))
      .map((o) => ({ env: o.env, object: o.raw as Parameters<typeof buildUniverse>[0][number]['object'] })),
  );
  return {
    model,
    roots,
    values,
    objects,
    network,
    universe,
    sources,
  };
}
