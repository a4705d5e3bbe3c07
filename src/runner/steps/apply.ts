import type { Terraform } from '../terraform.js';
import { failed, LOCK_TIMEOUT, type StepResult } from './result.js';

/** `terraform apply <planfile>`: exactly the saved plan, nothing re-planned. */
export async function apply(
  tf: Terraform,
  dir: string,
  planFile: string,
  o: { signal?: AbortSignal; onLine?: (line: string) => void } = {},
): Promise<StepResult<void>> {
  const r = await tf.run(['apply', '-input=false', '-no-color', LOCK_TIMEOUT, planFile], {
    cwd: dir,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onLine ? { onLine: o.onLine } : {}),
  });
  if (r.exitCode !== 0) return failed('apply', r);
  return { ok: true, value: undefined, durationMs: r.durationMs };
}
