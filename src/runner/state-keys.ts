/**
 * Each environment's Terraform state sits in its own bucket, reachable with that environment's key alone
 * (docs/adr/0017). A run over several environments (`plan --all`, `drift --all`, CI) holds several keys; this
 * hands each terraform process the key of the environment whose root it runs in:
 *
 *   ENVC_STATE_ACCESS_KEY_<ENV> / ENVC_STATE_SECRET_KEY_<ENV>   (ENV upper-cased, `-` → `_`)
 *
 * → AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY of that process (the s3 backend's credentials). Without a
 * per-environment pair the process keeps whatever AWS_* the runner has (one environment per job).
 */
import { relative, sep } from 'node:path';
import type { RunOptions, Terraform } from './terraform.js';

export function environmentVar(env: string): string {
  return env.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The per-environment state key as the s3 backend's variables, or undefined when none is set. */
export function stateKeyEnv(vars: NodeJS.ProcessEnv, env: string): Record<string, string> | undefined {
  const id = vars[`ENVC_STATE_ACCESS_KEY_${environmentVar(env)}`];
  const secret = vars[`ENVC_STATE_SECRET_KEY_${environmentVar(env)}`];
  return id && secret ? { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret } : undefined;
}

/** Terraform whose runs under `<stacksDir>/<env>/` carry `<env>`'s state key. */
export function withStateKeys(tf: Terraform, stacksDir: string, vars: NodeJS.ProcessEnv): Terraform {
  const envOf = (cwd: string): string | undefined => {
    const rel = relative(stacksDir, cwd);
    if (rel === '' || rel.startsWith('..')) return undefined;
    return rel.split(sep)[0];
  };
  return {
    get bin() {
      return tf.bin;
    },
    version: () => tf.version(),
    run(args: string[], o: RunOptions) {
      const env = envOf(o.cwd);
      const key = env ? stateKeyEnv(vars, env) : undefined;
      return tf.run(args, key ? { ...o, env: { ...(o.env ?? {}), ...key } } : o);
    },
  };
}
