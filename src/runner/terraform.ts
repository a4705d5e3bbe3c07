/**
 * The one module that starts processes: the terraform binary, driven with execa. Everything else in the
 * runner talks to the `Terraform` interface, so steps can be read (and tested) without process plumbing.
 */
import { execa } from 'execa';

export interface TerraformRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunOptions {
  cwd: string;
  signal?: AbortSignal;
  /** Each output line as it arrives (progress); stdout and stderr both. */
  onLine?: (line: string) => void;
  env?: Record<string, string>;
}

export interface Terraform {
  readonly bin: string;
  run(args: string[], opts: RunOptions): Promise<TerraformRun>;
  /** `terraform version -json` → "1.11.4"; throws when the binary is missing or older than MIN_VERSION. */
  version(): Promise<string>;
}

export const MIN_VERSION = '1.5.0';

export class TerraformMissingError extends Error {}

export function createTerraform(opts: { bin?: string; env?: NodeJS.ProcessEnv } = {}): Terraform {
  const bin = opts.bin ?? opts.env?.ENVC_TERRAFORM ?? process.env.ENVC_TERRAFORM ?? 'terraform';
  const baseEnv: Record<string, string> = {
    // Non-interactive and machine-friendly everywhere: no prompts, no "run terraform apply" hints.
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
  let versionPromise: Promise<string> | undefined;

  const run = async (args: string[], o: RunOptions): Promise<TerraformRun> => {
    const started = Date.now();
    const child = execa(bin, args, {
      cwd: o.cwd,
      env: { ...(opts.env ?? {}), ...baseEnv, ...(o.env ?? {}) },
      extendEnv: opts.env === undefined,
      reject: false,
      stdin: 'ignore',
      stripFinalNewline: false,
      // SIGINT lets terraform finish the resource in flight and persist state; forced after a minute.
      killSignal: 'SIGINT',
      forceKillAfterDelay: 60_000,
      ...(o.signal ? { cancelSignal: o.signal } : {}),
      maxBuffer: 512 * 1024 * 1024,
    });
    if (o.onLine) {
      const onLine = o.onLine;
      for (const stream of [child.stdout, child.stderr]) {
        let buf = '';
        stream?.on('data', (chunk: Buffer) => {
          buf += chunk.toString('utf8');
          const lines = buf.split('\n');
          buf = lines.pop() ?? '';
          for (const line of lines) if (line.trim() !== '') onLine(line);
        });
      }
    }
    const r = await child;
    if ((r as { code?: string }).code === 'ENOENT') {
      throw new TerraformMissingError(
        `terraform not found at "${bin}"; install terraform ${MIN_VERSION} or later, or set ENVC_TERRAFORM`,
      );
    }
    return {
      exitCode: r.exitCode ?? (r.isCanceled ? 130 : 1),
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      durationMs: Date.now() - started,
    };
  };

  return {
    bin,
    run,
    version() {
      versionPromise ??= (async () => {
        const t = await installedTerraform(bin, { ...(opts.env ?? process.env), ...baseEnv });
        if (t.version === undefined) throw new TerraformMissingError(t.error);
        const v = t.version;
        if (compareVersions(v, MIN_VERSION) < 0) {
          throw new TerraformMissingError(
            `terraform ${v} is too old; envc needs ${MIN_VERSION} or later (ENVC_TERRAFORM=${bin})`,
          );
        }
        return v;
      })();
      return versionPromise;
    },
  };
}

export type InstalledTerraform = { version: string } | { version?: undefined; error: string };

const installed = new Map<string, Promise<InstalledTerraform>>();

/**
 * `terraform version -json`, run once per binary and process. Preflight and the runner both need the version
 * before any other terraform work, and each run costs ~0.4 s on a small machine: asked twice, it was a sixth
 * of a one-environment \`envc plan\`.
 */
export function installedTerraform(bin: string, env: NodeJS.ProcessEnv): Promise<InstalledTerraform> {
  let p = installed.get(bin);
  if (!p) {
    p = (async (): Promise<InstalledTerraform> => {
      const r = await execa(bin, ['version', '-json'], {
        env: { ...env, CHECKPOINT_DISABLE: '1' },
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
        timeout: 5000,
      });
      if (r.exitCode !== 0)
        return {
          error: `"${bin} version" exited ${r.exitCode ?? r.signal ?? r.code}: ${String(r.stderr).trim()}`,
        };
      try {
        const v = (JSON.parse(String(r.stdout)) as { terraform_version?: string }).terraform_version;
        return v ? { version: v } : { error: `"${bin} version -json" named no version` };
      } catch {
        return { error: `"${bin} version -json" did not print JSON` };
      }
    })();
    installed.set(bin, p);
  }
  return p;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
