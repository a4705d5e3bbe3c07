import type { Terraform } from '../terraform.js';
import { failed, LOCK_TIMEOUT, type StepResult } from './result.js';

/** `terraform state pull`: the current state document (empty string when there is no state yet). */
export async function statePull(
  tf: Terraform,
  dir: string,
  signal?: AbortSignal,
): Promise<StepResult<string>> {
  const r = await tf.run(['state', 'pull'], { cwd: dir, ...(signal ? { signal } : {}) });
  if (r.exitCode !== 0) return failed('state pull', r);
  return { ok: true, value: r.stdout, durationMs: r.durationMs };
}

/** `terraform state push`: `-force` only when the caller has decided a lineage change is intended. */
export async function statePush(
  tf: Terraform,
  dir: string,
  file: string,
  o: { force?: boolean; signal?: AbortSignal } = {},
): Promise<StepResult<void>> {
  const args = ['state', 'push', LOCK_TIMEOUT];
  if (o.force) args.push('-force');
  args.push(file);
  const r = await tf.run(args, { cwd: dir, ...(o.signal ? { signal: o.signal } : {}) });
  if (r.exitCode !== 0) return failed('state push', r);
  return { ok: true, value: undefined, durationMs: r.durationMs };
}
