import type { Terraform } from '../terraform.js';
import { failed, type StepResult } from './result.js';

/** The parts of `terraform show -json <planfile>` envc reads (terraform's JSON output format, version 1.x). */
export interface PlanJson {
  format_version?: string;
  terraform_version?: string;
  resource_changes?: ResourceChange[];
  resource_drift?: ResourceChange[];
  output_changes?: Record<string, Change>;
  [k: string]: unknown;
}

export interface Change {
  actions: string[];
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
  replace_paths?: unknown;
  [k: string]: unknown;
}

export interface ResourceChange {
  address: string;
  module_address?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: unknown;
  provider_name?: string;
  action_reason?: string;
  change: Change;
  [k: string]: unknown;
}

/** Reads a saved plan as JSON. */
export async function show(
  tf: Terraform,
  dir: string,
  planFile: string,
  signal?: AbortSignal,
): Promise<StepResult<PlanJson>> {
  const r = await tf.run(['show', '-json', '-no-color', planFile], {
    cwd: dir,
    ...(signal ? { signal } : {}),
  });
  if (r.exitCode !== 0) return failed('show', r);
  try {
    return { ok: true, value: JSON.parse(r.stdout) as PlanJson, durationMs: r.durationMs };
  } catch (err) {
    return {
      ok: false,
      message: `terraform show -json printed something that is not JSON: ${(err as Error).message}`,
      exitCode: 1,
    };
  }
}
