/** Flags shared by the run commands (plan, apply, drift, destroy, rollback, state, approvals, lock). */
import { isAbsolute, join } from 'node:path';
import type { CommandContext, OptionSpec } from '../../command.js';
import { UsageError } from '../../main.js';

export const envOptions: Record<string, OptionSpec> = {
  env: {
    type: 'string',
    short: 'e',
    multiple: true,
    valueName: 'name',
    description: 'environment (repeat or comma-separate for several)',
  },
  all: { type: 'boolean', description: 'every environment that has a stack' },
};

export const stackOptions: Record<string, OptionSpec> = {
  spec: {
    type: 'string',
    valueName: 'file',
    description: 'the spec (approvals, approvers, tiers)',
    default: 'environments.yaml',
  },
  stacks: {
    type: 'string',
    valueName: 'dir',
    description:
      'terraform roots, one sub-directory per environment (default: generated/terraform/environments)',
  },
  generated: {
    type: 'string',
    valueName: 'dir',
    description:
      'generated/ tree whose Kubernetes and Helm files the digest covers (default: beside the spec; none with --stacks)',
  },
  'no-backend': { type: 'boolean', description: 'terraform init -backend=false (offline; no state is read)' },
  json: { type: 'boolean', description: 'print the result as JSON on stdout' },
  verbose: { type: 'boolean', description: "stream terraform's own output" },
  as: {
    type: 'string',
    valueName: 'user',
    description:
      'who is acting, as a label only (default: ENVC_ACTOR, else cli:<login>); never proof: approvals need Slack or a CI OIDC token',
  },
};

export const parallelOption: Record<string, OptionSpec> = {
  parallel: { type: 'string', valueName: 'n', description: 'environments at once (default: CPU cores)' },
};

export const waitOptions: Record<string, OptionSpec> = {
  wait: {
    type: 'string',
    valueName: 'duration',
    description: 'wait this long for an approval (e.g. 30m) instead of exiting 4',
    default: '0',
  },
  'lock-wait': {
    type: 'string',
    valueName: 'duration',
    description: 'wait this long for the environment lock instead of refusing',
    default: '0',
  },
};

/** `30m`, `90s`, `1h30m`, `45` (seconds), `0` → milliseconds. */
export function parseDurationMs(text: string, flag: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const re = /(\d+)(ms|s|m|h|d)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms']!;
    pos = re.lastIndex;
  }
  if (pos !== t.length || t === '')
    throw new UsageError(`--${flag} takes a duration like 30s, 10m or 1h, not "${text}"`);
  return total;
}

export function envNames(ctx: CommandContext): string[] {
  const raw = ctx.flags.env;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return list
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function onlyEnv(ctx: CommandContext): string {
  const envs = envNames(ctx);
  if (envs.length !== 1 || ctx.flags.all) throw new UsageError('name exactly one environment with --env E');
  return envs[0]!;
}

export function pathFlag(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.flags[name];
  if (typeof v !== 'string' || v === '') return undefined;
  return isAbsolute(v) ? v : join(ctx.cwd, v);
}

export function parallelOf(ctx: CommandContext, cores: number): number {
  const v = ctx.flags.parallel;
  if (v === undefined) return cores;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--parallel takes a whole number of at least 1, not "${String(v)}"`);
  return n;
}
