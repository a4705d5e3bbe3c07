import type { Terraform } from '../terraform.js';
import { failed, type StepResult } from './result.js';

export interface InitOptions {
  /** `-backend-config` values: a file (backend.hcl) and/or `key=value` pairs. Ignored with `backend: false`. */
  backendConfig?: string[];
  /** false: `-backend=false` (offline: no backend credentials needed; plans then see no state). */
  backend?: boolean;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}

/** `terraform init`: providers and backend. `-reconfigure` because envc never migrates state between backends. */
export async function init(tf: Terraform, dir: string, o: InitOptions = {}): Promise<StepResult<void>> {
  const args = ['init', '-input=false', '-no-color', '-reconfigure'];
  if (o.backend === false) args.push('-backend=false');
  else for (const c of o.backendConfig ?? []) args.push(`-backend-config=${c}`);
  const r = await tf.run(args, {
    cwd: dir,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onLine ? { onLine: o.onLine } : {}),
  });
  if (r.exitCode !== 0) return failed('init', r);
  return { ok: true, value: undefined, durationMs: r.durationMs };
}
