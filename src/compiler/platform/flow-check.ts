/**
 * Checks every flow through every layer it crosses: a needed flow that some layer blocks, or a forbidden
 * one that every layer lets through, is an error naming the layer and the rule that decides. Pure.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { CODES, platformDiagnostic } from './diagnostics.js';
import type { PlatformFacts } from './facts.js';
import { type Flow, platformFlows } from './flows.js';
import { ingressHosts } from './hosts.js';
import { evaluateHop, type HopVerdict } from './layers.js';
import { withPlatformPods } from './platform-pods.js';

export interface FlowResult {
  flow: Flow;
  verdicts: HopVerdict[];
  /** Needed: every hop allows. Forbidden: some hop blocks. */
  ok: boolean;
  /** The hop that decides: the first blocking one, or (all allowing) the last. */
  deciding: HopVerdict | undefined;
}

export function evaluateFlow(facts: PlatformFacts, flow: Flow): FlowResult {
  const verdicts = flow.hops.map((h) => evaluateHop(facts, h));
  const blocked = verdicts.find((v) => !v.allowed);
  const ok = flow.need === 'needed' ? blocked === undefined : blocked !== undefined;
  return { flow, verdicts, ok, deciding: blocked ?? verdicts[verdicts.length - 1] };
}

/** The facts with the pods only the flow model knows about (CoreDNS, webhooks, ACME solvers). */
export function flowFacts(facts: PlatformFacts): PlatformFacts {
  const solvers = ingressHosts(facts).map((h): [string, string] => [h.env, h.namespace]);
  return { ...facts, universe: withPlatformPods(facts.universe, solvers) };
}

export function checkFlows(input: PlatformFacts): { results: FlowResult[]; diagnostics: Diagnostic[] } {
  const facts = flowFacts(input);
  const results = platformFlows(facts, facts.universe).map((f) => evaluateFlow(facts, f));
  const diagnostics: Diagnostic[] = [];
  for (const r of results) {
    if (r.ok) continue;
    const f = r.flow;
    if (f.need === 'needed') {
      // Every layer that blocks it, so fixing one does not just reveal the next.
      for (const v of r.verdicts.filter((x) => !x.allowed))
        diagnostics.push(
          platformDiagnostic(
            f.code ?? CODES.flowBlocked,
            f.origin,
            `needed flow blocked at the ${v.layer} layer: ${f.title} — ${v.detail} (decided by ${v.decidedBy})`,
            hintFor(v.layer),
          ),
        );
    } else {
      diagnostics.push(
        platformDiagnostic(
          CODES.flowForbidden,
          f.origin,
          `forbidden flow allowed: ${f.title} — ${r.verdicts.map((v) => `${v.layer}: ${v.detail}`).join('; ')}`,
          'deny it in at least one layer (a NetworkPolicy, the Cloud Firewall or the allow list)',
        ),
      );
    }
  }
  return { results, diagnostics };
}

function hintFor(layer: HopVerdict['layer']): string {
  switch (layer) {
    case 'control-plane-acl':
      return "add the client's address range to the environment's controlPlaneAcl (ArgoCD and the bot leave the system cluster from its egress range; CI from its runners' range)";
    case 'cloud-firewall':
      return 'add a firewall rule for it (LKE needs its default node rules; see docs/rules)';
    case 'database-allow-list':
      return "admit the cluster's nodes in the database allow_list (an empty list blocks every connection)";
    case 'network-policy':
      return 'allow it in the NetworkPolicies envc generates (default deny holds everything else)';
    case 'dns':
      return "publish a record for the host in the environment's zone (or run external-dns for it)";
  }
}
