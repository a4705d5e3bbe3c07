/**
 * The bring-up graph: every thing that must exist before another, as nodes grouped in the steps the runner
 * takes on an empty account. A node provides keys (`crd:<env>:ServiceMonitor`, `secret:<env>/<ns>/<name>`,
 * `ns:<env>/<ns>`, `bucket:<name>`, `state:<key>`, ...) and needs keys; inside one Terraform apply it also
 * waits for the resources it depends on. Pure.
 */
import type { EnvironmentModel, Origin } from '../model.js';
import { BUILT_IN_KINDS, CHART_ALWAYS_CREATES, CHART_CRDS, valuesNeeds } from './charts.js';
import { CODES } from './diagnostics.js';
import type { K8sObject, PlatformFacts } from './facts.js';
import { orderEnvironments, RUNNER_PROCEDURE, type RunnerProcedure } from './procedure.js';
import type { TfResource, TfRoot } from './terraform.js';

export type StepKind = 'bootstrap' | 'terraform' | 'argocd-sync' | 'rotation';

export interface Step {
  index: number;
  kind: StepKind;
  env?: string;
  title: string;
  /** What an operator runs (or what runs by itself) for this step. */
  command: string;
}

export interface Need {
  key: string;
  /** A blocking need fails its step when missing; a non-blocking one only has to be met eventually. */
  blocking: boolean;
  code: string;
  what: string;
}

export interface BringUpNode {
  id: string;
  step: number;
  env?: string;
  title: string;
  provides: string[];
  needs: Need[];
  /** Node ids of the same step this one waits for (Terraform dependencies). */
  after: string[];
  origin: Origin;
}

export interface BringUpGraph {
  steps: Step[];
  nodes: BringUpNode[];
}

const envOrigin = (facts: PlatformFacts, env: string): Origin =>
  (facts.model.environments.find((e) => e.name === env) as EnvironmentModel | undefined)?.origin ??
  facts.model.stateBackend.origin;

function originOf(facts: PlatformFacts, env: string, ...keys: string[]): Origin {
  for (const k of keys) {
    const o = facts.sources.get(k);
    if (o?.path.startsWith(`environments.${env}`)) return o;
  }
  return envOrigin(facts, env);
}

/**
 * Roots of one environment in the runner's order: its phases (phases.json) in order, else the order their
 * remote-state reads require (a root read by another first).
 */
function orderRoots(roots: TfRoot[]): TfRoot[] {
  if (roots.some((r) => r.phaseIndex !== undefined))
    return [...roots].sort(
      (a, b) => (a.phaseIndex ?? 99) - (b.phaseIndex ?? 99) || a.dir.localeCompare(b.dir),
    );
  const byKey = new Map(roots.filter((r) => r.backend?.key).map((r) => [r.backend!.key!, r] as const));
  const out: TfRoot[] = [];
  const seen = new Set<string>();
  const visit = (r: TfRoot) => {
    if (seen.has(r.dir)) return;
    seen.add(r.dir);
    for (const k of r.remoteStateKeys) {
      const dep = byKey.get(k);
      if (dep) visit(dep);
    }
    out.push(r);
  };
  for (const r of [...roots].sort((a, b) => a.dir.localeCompare(b.dir))) visit(r);
  return out;
}

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
  if (!createNs)
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

function resourceNodes(facts: PlatformFacts, root: TfRoot, r: TfResource, step: number): BringUpNode[] {
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
          {
            key: `ns:${env}/${ns}`,
            blocking: true,
            code: CODES.namespaceMissing,
            what: `it writes the Secret ${ns}/${name}`,
          },
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

/** The kinds, namespaces and Secrets an ArgoCD sync of one environment needs and produces. */
function syncNodes(facts: PlatformFacts, env: string, objects: K8sObject[], step: number): BringUpNode[] {
  const nodes: BringUpNode[] = [];
  const origin = envOrigin(facts, env);
  const groups = new Map<string, K8sObject[]>();
  for (const o of objects) {
    const target = /\/argocd\.ya?ml$/.test(o.file) ? 'system' : env;
    const key = `${target}|${o.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  for (const [key, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const [target, kind] = key.split('|') as [string, string];
    const needs: Need[] = [];
    const provides: string[] = [];
    if (!BUILT_IN_KINDS.has(kind))
      needs.push({
        key: `crd:${target}:${kind}`,
        blocking: true,
        code: CODES.crdMissing,
        what: `ArgoCD applies ${list.length} ${kind} object(s) (${list[0]!.file})`,
      });
    for (const o of list) {
      if (kind === 'Namespace') provides.push(`ns:${target}/${o.name}`);
      else if (o.namespace)
        needs.push({
          key: `ns:${target}/${o.namespace}`,
          blocking: true,
          code: CODES.namespaceMissing,
          what: `ArgoCD applies ${kind} ${o.namespace}/${o.name}`,
        });
      if (kind === 'SealedSecret') {
        const sealed = ((o.raw.spec as Record<string, unknown> | undefined)?.encryptedData ?? {}) as object;
        provides.push(`sealed:${target}/${o.namespace}/${o.name}`);
        if (Object.keys(sealed).length > 0) provides.push(`secret:${target}/${o.namespace}/${o.name}`);
        needs.push({
          key: `controller:${target}:sealed-secrets`,
          blocking: false,
          code: CODES.prerequisiteMissing,
          what: `the SealedSecret ${o.namespace}/${o.name} is unsealed by the Sealed Secrets controller`,
        });
      }
      if (kind === 'Secret') provides.push(`secret:${target}/${o.namespace}/${o.name}`);
      for (const s of podSecrets(o))
        needs.push({
          key: `secret:${target}/${o.namespace}/${s}`,
          blocking: false,
          code: CODES.secretMissing,
          what: `${kind} ${o.namespace}/${o.name} mounts the Secret ${s}`,
        });
    }
    needs.push(
      { key: 'argocd', blocking: true, code: CODES.prerequisiteMissing, what: 'ArgoCD runs the sync' },
      {
        key: `registered:${env}`,
        blocking: true,
        code: CODES.prerequisiteMissing,
        what: `ArgoCD needs ${env}'s cluster registered`,
      },
    );
    nodes.push({
      id: `sync:${env}:${key}`,
      step,
      env,
      title: `ArgoCD applies ${kind} (${target})`,
      provides,
      needs,
      after: [],
      origin,
    });
  }
  return nodes;
}

/** Secret names a workload reads through env, envFrom or volumes. */
function podSecrets(o: K8sObject): string[] {
  if (!['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(o.kind)) return [];
  const out = new Set<string>();
  const walk = (v: unknown, parent: string) => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, parent);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const rec = v as Record<string, unknown>;
    if (
      (parent === 'secretKeyRef' || parent === 'secretRef') &&
      typeof rec.name === 'string' &&
      rec.optional !== true
    )
      out.add(rec.name);
    if (parent === 'secret' && typeof rec.secretName === 'string' && rec.optional !== true)
      out.add(rec.secretName);
    for (const [k, c] of Object.entries(rec)) walk(c, k);
  };
  walk(o.raw.spec, '');
  return [...out];
}

/** Builds the steps and nodes of a bring-up from an empty account. */
export function buildBringUp(
  facts: PlatformFacts,
  procedure: RunnerProcedure = RUNNER_PROCEDURE,
): BringUpGraph {
  const steps: Step[] = [];
  const nodes: BringUpNode[] = [];
  const sb = facts.model.stateBackend;
  const envNames = new Set(facts.model.environments.map((e) => e.name));
  const addRoot = (root: TfRoot, bootstrap: boolean) => {
    const env = root.env;
    const step = steps.length;
    // `envc bootstrap` applies a root outside the environments with local state first, then migrates it.
    const localFirst = bootstrap && procedure.bootstrapsStateBucket;
    steps.push({
      index: step,
      kind: bootstrap ? 'bootstrap' : 'terraform',
      ...(bootstrap ? {} : { env }),
      title: localFirst
        ? `terraform apply ${root.dir} with local state, then migrate its state into ${root.backend?.bucket ?? sb.bucket}`
        : `terraform apply ${root.dir}`,
      command: bootstrap ? 'npx envc bootstrap' : `npx envc apply ${env}`,
    });
    const envOf = bootstrap ? undefined : env;
    const init: BringUpNode = {
      id: `${root.dir}#init`,
      step,
      ...(envOf ? { env: envOf } : {}),
      title: `terraform init of ${root.dir}`,
      provides: [],
      needs: [
        ...(root.backend?.type === 's3' && root.backend.bucket && !localFirst
          ? [
              {
                key: `bucket:${root.backend.bucket}`,
                blocking: true,
                code: CODES.stateBucket,
                what: `its s3 backend keeps state in ${root.backend.bucket}`,
              },
            ]
          : []),
        ...root.remoteStateKeys.map((k) => ({
          key: `state:${k}`,
          blocking: true,
          code: CODES.prerequisiteMissing,
          what: `it reads the remote state ${k}`,
        })),
        ...root.inputs.map((i) => ({
          key: `phase:${i.env}/${i.phase}`,
          blocking: true,
          code: CODES.prerequisiteMissing,
          what: `the runner passes it outputs of ${i.env}'s ${i.phase} phase`,
        })),
      ],
      after: [],
      origin: root.backend?.type === 's3' ? sb.origin : envOrigin(facts, env),
    };
    const rnodes = root.resources.flatMap((r) => resourceNodes(facts, root, r, step));
    const byAddress = new Map<string, string[]>();
    const byId = new Map(rnodes.map((n) => [n.id, n] as const));
    for (const n of rnodes) {
      const addr = n.id.slice(root.dir.length + 1).replace(/\[[^\]]*\]$/, '');
      byAddress.set(addr, [...(byAddress.get(addr) ?? []), n.id]);
    }
    for (const r of root.resources)
      for (const id of byAddress.get(r.address) ?? [])
        byId.get(id)!.after = [init.id, ...r.deps.flatMap((d) => byAddress.get(d) ?? [])];
    const done: BringUpNode = {
      id: `${root.dir}#applied`,
      step,
      ...(envOf ? { env: envOf } : {}),
      title: `${root.dir} applied`,
      provides: [
        ...(root.backend?.key ? [`state:${root.backend.key}`] : []),
        ...(root.phase ? [`phase:${env}/${root.phase}`] : []),
      ],
      needs: [],
      after: rnodes.map((n) => n.id),
      origin: envOrigin(facts, env),
    };
    nodes.push(init, ...rnodes, done);
  };
  for (const root of facts.roots.filter((r) => !envNames.has(r.env))) addRoot(root, true);
  const envs = orderEnvironments(facts.model.environments.map((e) => e.name));
  for (const env of envs) {
    for (const root of orderRoots(facts.roots.filter((r) => r.env === env))) addRoot(root, false);
    const objects = facts.objects.filter((o) => o.env === env);
    if (objects.length > 0) {
      const step = steps.length;
      steps.push({
        index: step,
        kind: 'argocd-sync',
        env,
        title: `ArgoCD syncs generated/kubernetes/${env}`,
        command: `ArgoCD (automatic${facts.model.environments.find((e) => e.name === env)?.argocd.autoSync ? '' : '; sync by hand: argocd app sync'})`,
      });
      nodes.push(...syncNodes(facts, env, objects, step));
    }
    const sealed = objects.filter(
      (o) =>
        o.kind === 'SealedSecret' &&
        Object.keys(((o.raw.spec as Record<string, unknown> | undefined)?.encryptedData ?? {}) as object)
          .length === 0,
    );
    if (sealed.length > 0) {
      const step = steps.length;
      steps.push({
        index: step,
        kind: 'rotation',
        env,
        title: `first rotation seals ${sealed.length} secret(s) of ${env}`,
        command: `npx envc rotate --env ${env}`,
      });
      for (const o of sealed)
        nodes.push({
          id: `rotate:${env}/${o.namespace}/${o.name}`,
          step,
          env,
          title: `rotation seals ${o.namespace}/${o.name}`,
          provides: [`secret:${env}/${o.namespace}/${o.name}`],
          needs: [
            {
              key: `sealed:${env}/${o.namespace}/${o.name}`,
              blocking: true,
              code: CODES.prerequisiteMissing,
              what: `rotation writes into the SealedSecret ${o.namespace}/${o.name}`,
            },
            {
              key: `controller:${env}:sealed-secrets`,
              blocking: true,
              code: CODES.prerequisiteMissing,
              what: 'rotation seals against the controller certificate',
            },
          ],
          after: [],
          origin: envOrigin(facts, env),
        });
    }
  }
  return { steps, nodes };
}
