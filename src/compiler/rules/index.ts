import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticAt, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { suggest } from '../diagnostics/suggest.js';
import type { Model, WaiverModel } from '../model.js';
import { accessApprovers } from './access-approvers.js';
import { adminAccessGuarded } from './admin-access-guarded.js';
import { approvalsApprovers } from './approvals-approvers.js';
import { autoscalerBounds } from './autoscaler-bounds.js';
import { breakGlassDuration } from './break-glass-duration.js';
import { budget } from './budget.js';
import { deadMansSwitch } from './dead-mans-switch.js';
import { debugAccessShort } from './debug-access-short.js';
import { firewallAdminPorts } from './firewall-admin-ports.js';
import { gpuPoolTaint } from './gpu-pool-taint.js';
import { gpuServicePlacement } from './gpu-service-placement.js';
import { ingressHostInZone } from './ingress-host-in-zone.js';
import { ingressPortsAllowed } from './ingress-ports-allowed.js';
import { knownNodePlan } from './known-node-plan.js';
import { kubernetesVersion } from './kubernetes-version.js';
import { kubernetesVersionSupported } from './kubernetes-version-supported.js';
import { namespacesDeclared } from './namespaces-declared.js';
import { productionApprovals } from './production-approvals.js';
import { productionControlPlaneAcl } from './production-control-plane-acl.js';
import { productionDataHa } from './production-data-ha.js';
import { productionHaControlPlane } from './production-ha-control-plane.js';
import { quotaCapacity } from './quota-capacity.js';
import { quotaRequestsWithinLimits } from './quota-requests-within-limits.js';
import { redisSentinelQuorum } from './redis-sentinel-quorum.js';
import { rotationBounds } from './rotation-bounds.js';
import { scaleToZero } from './scale-to-zero.js';
import { secretUsedBy } from './secret-used-by.js';
import { serviceBudget } from './service-budget.js';
import { servicesFitQuota } from './services-fit-quota.js';
import { stateBucketNames } from './state-bucket-names.js';
import { systemEnvironment } from './system-environment.js';
import { type Finding, type Rule, type RuleContext, toDiagnostic } from './types.js';

export type { Rule, RuleContext } from './types.js';

/** Every policy rule, in code order. A new rule is one file, one line here, one docs/rules/<code>.md page. */
export const rules: Rule[] = [
  productionHaControlPlane,
  productionControlPlaneAcl,
  gpuPoolTaint,
  firewallAdminPorts,
  quotaCapacity,
  quotaRequestsWithinLimits,
  knownNodePlan,
  serviceBudget,
  approvalsApprovers,
  accessApprovers,
  rotationBounds,
  systemEnvironment,
  ingressHostInZone,
  ingressPortsAllowed,
  namespacesDeclared,
  breakGlassDuration,
  scaleToZero,
  autoscalerBounds,
  secretUsedBy,
  adminAccessGuarded,
  kubernetesVersion,
  productionDataHa,
  productionApprovals,
  servicesFitQuota,
  budget,
  debugAccessShort,
  redisSentinelQuorum,
  gpuServicePlacement,
  kubernetesVersionSupported,
  deadMansSwitch,
  stateBucketNames,
];

/** Codes about waivers themselves; they cannot be waived. */
export const WAIVER_EXPIRED = 'ENVC2000';
export const WAIVER_UNKNOWN_RULE = 'ENVC2090';
export const WAIVER_UNUSED = 'ENVC2091';
export const RULE_CRASHED = 'ENVC2099';

/** A waiver without a path covers every finding of its rule; with one, that path and everything below it. */
export function waiverCovers(waiver: WaiverModel, code: string, path: string): boolean {
  if (waiver.rule !== code) return false;
  if (waiver.path === undefined || waiver.path === '') return true;
  return path === waiver.path || path.startsWith(`${waiver.path}.`) || path.startsWith(`${waiver.path}[`);
}

/**
 * Runs every rule and applies the file's waivers. A waived finding becomes an `info` diagnostic ("waived
 * until …") so reviewers still see it; an expired waiver is an error at the waiver and waives nothing; a
 * waiver for an unknown code is an error; a waiver that matches nothing is a warning (it should be removed).
 */
export function runRules(model: Model, ctx: RuleContext, ruleList: readonly Rule[] = rules): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byCode = new Map(ruleList.map((r) => [r.code, r] as const));
  const active: WaiverModel[] = [];
  for (const w of model.waivers) {
    if (!byCode.has(w.rule)) {
      const near = suggest(w.rule, byCode.keys());
      out.push(
        diagnosticAt(
          w.origin,
          WAIVER_UNKNOWN_RULE,
          'error',
          `waiver names unknown rule ${JSON.stringify(w.rule)}`,
          near
            ? `did you mean ${JSON.stringify(near)}? rules are listed in docs/rules/`
            : 'waivable rules are ENVC2001 and up, listed in docs/rules/',
        ),
      );
    } else if (w.expires < ctx.today) {
      out.push(
        diagnosticAt(
          w.origin,
          WAIVER_EXPIRED,
          'error',
          `waiver for ${w.rule} expired on ${w.expires}`,
          'fix the finding and remove the waiver, or, if the exception is still needed, review it and set a new `expires` date',
        ),
      );
    } else {
      active.push(w);
    }
  }
  const used = new Set<WaiverModel>();
  for (const rule of ruleList) {
    let findings: Finding[];
    try {
      findings = rule.check(model, ctx);
    } catch (err) {
      // A rule bug must not hide every other finding, nor end as a stack trace.
      out.push({
        code: RULE_CRASHED,
        severity: 'error',
        message: `internal error in rule ${rule.code} (${rule.name}): ${(err as Error)?.message ?? String(err)}`,
        file: model.sourceFile,
        line: 1,
        column: 1,
        hint: 'this is a bug in envc; please report it with the spec that triggers it',
        docs: `docs/rules/${RULE_CRASHED}.md`,
      });
      continue;
    }
    for (const f of findings) {
      const d = toDiagnostic(rule, f);
      const waiver = active.find((w) => waiverCovers(w, rule.code, f.origin.path));
      if (!waiver) {
        out.push(d);
        continue;
      }
      used.add(waiver);
      out.push({
        ...d,
        severity: 'info',
        message: `waived until ${waiver.expires}: ${d.message}`,
        hint: `waiver at ${waiver.origin.file}:${waiver.origin.line}: ${waiver.reason}`,
      });
    }
  }
  for (const w of active) {
    if (used.has(w)) continue;
    out.push(
      diagnosticAt(
        w.origin,
        WAIVER_UNUSED,
        'warning',
        `waiver for ${w.rule}${w.path ? ` at ${JSON.stringify(w.path)}` : ''} matches no finding`,
        'remove the waiver; the exception is no longer needed',
      ),
    );
  }
  return sortDiagnostics(out);
}
