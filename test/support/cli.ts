import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ENVC_BIN = fileURLToPath(new URL('../../bin/envc.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real, built CLI (`node bin/envc.js`) as a user would; colour off unless the test asks. */
export function envc(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {},
): CliRun {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    FORCE_COLOR: undefined,
    ENVC_DEBUG: undefined,
    ...opts.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [ENVC_BIN, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A stack trace line, which the CLI must never print to a user. */
export const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;
