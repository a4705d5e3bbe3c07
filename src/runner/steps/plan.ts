import type { Terraform } from '../terraform.js';
import { failed, LOCK_TIMEOUT, type StepResult } from './result.js';

export interface PlanOptions {
  /** Where the saved plan goes (`-out`). */
  out: string;
  mode?: 'normal' | 'refresh-only' | 'destroy';
  signal?: AbortSignal;
  onLine?: (line: string) => void;
  /** Extra environment (TF_VAR_… inputs of a platform root, taken from the cluster root's outputs). */
  env?: Record<string, string>;
}

/** `terraform plan -detailed-exitcode -out=…`: 0 no changes, 2 changes, anything else an error. */
export async function plan(
  tf: Terraform,
  dir: string,
  o: PlanOptions,
): Promise<StepResult<{ hasChanges: boolean }>> {
  const args = ['plan', '-input=false', '-no-color', '-detailed-exitcode', LOCK_TIMEOUT, `-out=${o.out}`];
  if (o.mode === 'refresh-only') args.push('-refresh-only');
  if (o.mode === 'destroy') args.push('-destroy');
  const r = await tf.run(args, {
    cwd: dir,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onLine ? { onLine: o.onLine } : {}),
    ...(o.env ? { env: o.env } : {}),
  });
  if (r.exitCode !== 0 && r.exitCode !== 2) return failed('plan', r);
  return { ok: true, value: { hasChanges: r.exitCode === 2 }, durationMs: r.durationMs };
}
