/**
 * The bring-up graph: every thing that must exist before another, as nodes grouped in the steps the runner
 * takes on an empty account. A node provides keys (`crd:<env>:ServiceMonitor`, `secret:<env>/<ns>/<name>`,
 * `ns:<env>/<ns>`, `bucket:<name>`, `state:<key>`, ...) and needs keys; inside one Terraform apply it also
 * waits for the resources it depends on. Pure.
 */
import type { EnvironmentModel, Origin } from '../model.js';
import { syncNodes } from './bringup-argocd.js';
import { resourceNodes } from './bringup-terraform.js';
import { CODES } from './diagnostics.js';
import type { PlatformFacts } from './facts.js';
import { orderEnvironments, RUNNER_PROCEDURE, type RunnerProcedure } from './procedure.js';
import type { TfRoot } from './terraform.js';

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

export const envOrigin = (facts: PlatformFacts, env: string): Origin =>
  (facts.model.environments.find((e) => e.name === env) as EnvironmentModel | undefined)?.origin ??
  facts.model.stateBackend.origin;

export function originOf(facts: PlatformFacts, env: string, ...keys: string[]): Origin {
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
      command: bootstrap ? 'npx envc bootstrap' : `npx envc apply --env ${env}`,
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
