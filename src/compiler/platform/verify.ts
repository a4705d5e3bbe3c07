/**
 * `envc verify` as a pure service: the bring-up walk and the flow check over the facts of a compiled
 * platform. The CLI (and `envc compile`) call this with the files the emitters produced in memory.
 */
import { type Diagnostic, sortDiagnostics } from '../diagnostics/diagnostic.js';
import type { GeneratedFile } from '../emitters/types.js';
import type { Model } from '../model.js';
import { walkBringUp } from './bringup.js';
import type { BringUpGraph } from './bringup-graph.js';
import { configChecks } from './config-checks.js';
import { buildFacts, type PlatformFacts } from './facts.js';
import { checkFlows, type FlowResult } from './flow-check.js';
import { RUNNER_PROCEDURE, type RunnerProcedure } from './procedure.js';

export interface VerifyResult {
  diagnostics: Diagnostic[];
  bringUp: BringUpGraph;
  flows: FlowResult[];
}

export function verifyFacts(
  facts: PlatformFacts,
  procedure: RunnerProcedure = RUNNER_PROCEDURE,
): VerifyResult {
  const up = walkBringUp(facts, procedure);
  const flows = checkFlows(facts);
  return {
    diagnostics: sortDiagnostics([...up.diagnostics, ...flows.diagnostics, ...configChecks(facts)]),
    bringUp: up.graph,
    flows: flows.results,
  };
}

export function verifyPlatform(
  model: Model,
  files: readonly GeneratedFile[],
  procedure: RunnerProcedure = RUNNER_PROCEDURE,
): VerifyResult {
  return verifyFacts(buildFacts(model, files), procedure);
}
