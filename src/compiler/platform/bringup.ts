/**
 * Walks the bring-up graph as on an empty account, in the runner's order, and reports every node that would
 * wait on something not there yet; also prints the order (the README's "from zero" section follows it). Pure.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type BringUpGraph, type BringUpNode, buildBringUp } from './bringup-graph.js';
import { CODES, platformDiagnostic } from './diagnostics.js';
import type { PlatformFacts } from './facts.js';
import { RUNNER_PROCEDURE, type RunnerProcedure } from './procedure.js';

export interface BringUpResult {
  graph: BringUpGraph;
  diagnostics: Diagnostic[];
}

function ancestors(graph: Map<string, BringUpNode>, start: BringUpNode): Set<string> {
  const seen = new Set<string>();
  const stack = [...start.after];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const n = graph.get(id);
    if (n) stack.push(...n.after);
  }
  return seen;
}

function explain(graph: BringUpGraph, producers: BringUpNode[], node: BringUpNode): string {
  if (producers.length === 0) return 'nothing in the platform produces it';
  const later = producers.filter((p) => p.step > node.step);
  const p = later[0] ?? producers[0]!;
  const step = graph.steps[p.step]!;
  if (p.step > node.step) return `it only comes with step ${p.step + 1} (${step.title}: ${p.title})`;
  return `${p.title} produces it in the same apply and nothing makes this wait for it`;
}

export function walkBringUp(
  facts: PlatformFacts,
  procedure: RunnerProcedure = RUNNER_PROCEDURE,
): BringUpResult {
  const graph = buildBringUp(facts, procedure);
  const byId = new Map(graph.nodes.map((n) => [n.id, n] as const));
  const producers = new Map<string, BringUpNode[]>();
  for (const n of graph.nodes) for (const k of n.provides) producers.set(k, [...(producers.get(k) ?? []), n]);
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const node of graph.nodes) {
    let before: Set<string> | undefined;
    const step = graph.steps[node.step]!;
    for (const need of node.needs) {
      const list = producers.get(need.key) ?? [];
      if (list.includes(node)) continue;
      let ok: boolean;
      if (!need.blocking) ok = list.length > 0;
      else {
        before ??= ancestors(byId, node);
        ok = list.some(
          (p) =>
            p.step < node.step ||
            (p.step === node.step && (step.kind === 'argocd-sync' || before!.has(p.id))),
        );
      }
      if (ok) continue;
      const dedupe = `${need.code}|${node.title}|${need.key}`;
      if (reported.has(dedupe)) continue;
      reported.add(dedupe);
      diagnostics.push(
        platformDiagnostic(
          need.code,
          node.origin,
          `bring-up step ${node.step + 1} (${step.title}): ${node.title} waits for ${need.key.replace(/^[a-z]+:/, '')}: ${need.what}; ${explain(graph, list, node)}`,
          hintFor(need.code),
        ),
      );
    }
  }
  diagnostics.push(...providerFindings(facts));
  return { graph, diagnostics };
}

function hintFor(code: string): string {
  switch (code) {
    case CODES.stateBucket:
      return 'the runner must create the state bucket before any root initialises its s3 backend (`envc bootstrap`)';
    case CODES.crdMissing:
      return 'make the release depend on the release that installs the CRD (or install the CRDs first)';
    case CODES.secretMissing:
      return 'produce the Secret before its consumer waits for it (Terraform, or a SealedSecret synced first), or do not wait for the release';
    case CODES.namespaceMissing:
      return 'create the namespace before anything is written into it';
    default:
      return 'order the steps so that this exists first';
  }
}

/** kubernetes/helm providers configured from a cluster the same root creates (finding 13 of issue 11). */
function providerFindings(facts: PlatformFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const root of facts.roots) {
    const clusters = new Set(
      root.resources.filter((r) => r.type === 'linode_lke_cluster').map((r) => r.address),
    );
    if (clusters.size === 0) continue;
    for (const p of root.providers) {
      const base = p.key.split('.')[0];
      if (base !== 'kubernetes' && base !== 'helm') continue;
      const from = p.refs.find((r) => clusters.has(r));
      if (!from) continue;
      const env = facts.model.environments.find((e) => e.name === root.env);
      out.push(
        platformDiagnostic(
          CODES.providerFromSameRoot,
          env?.cluster.origin ?? facts.model.stateBackend.origin,
          `${root.dir}: the ${p.key} provider is configured from ${from}, a cluster created in the same root`,
          'create the cluster in its own root and configure the in-cluster providers from its outputs (the kubernetes provider documents this as unreliable)',
        ),
      );
    }
  }
  return out;
}

/** The order of all steps, one line per step and one indented line per Terraform resource or synced kind. */
export function printBringUp(graph: BringUpGraph): string {
  const lines: string[] = [];
  for (const s of graph.steps) {
    lines.push(`${s.index + 1}. [${s.kind}] ${s.title}  — ${s.command}`);
    const inStep = graph.nodes.filter((n) => n.step === s.index && !/#(init|applied)$/.test(n.id));
    for (const n of topo(inStep)) lines.push(`     ${n.title}`);
  }
  return `${lines.join('\n')}\n`;
}

function topo(nodes: BringUpNode[]): BringUpNode[] {
  const ids = new Set(nodes.map((n) => n.id));
  const out: BringUpNode[] = [];
  const seen = new Set<string>();
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  const visit = (n: BringUpNode) => {
    if (seen.has(n.id)) return;
    seen.add(n.id);
    for (const a of n.after) if (ids.has(a)) visit(byId.get(a)!);
    out.push(n);
  };
  for (const n of nodes) visit(n);
  return out;
}
