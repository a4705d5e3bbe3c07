import { suggest } from '../../../compiler/diagnostics/suggest.js';
import type { BotDeps } from '../../deps.js';
import { environments } from '../../deps.js';
import type { Parsed } from '../types.js';

/** Argument helpers shared by sub-commands: environment names checked against the spec with a suggestion. */
export function envArg(
  deps: BotDeps,
  name: string | undefined,
  opts: { allowAll?: boolean } = {},
): Parsed<string> {
  if (name === undefined || name === '') return { ok: false, error: 'an environment is required' };
  const envs = environments(deps.model);
  if (opts.allowAll && name === 'all') return { ok: true, value: 'all' };
  if (envs.includes(name)) return { ok: true, value: name };
  const hint = suggest(name, envs);
  return {
    ok: false,
    error: `unknown environment "${name}"${hint ? ` — did you mean "${hint}"?` : ''} (known: ${envs.join(', ')})`,
  };
}

export function noMoreArgs(args: string[], from: number): Parsed<true> {
  return args.length > from
    ? { ok: false, error: `unexpected argument "${args[from]}"` }
    : { ok: true, value: true };
}

/** Splits `/infra` text: sub-command, the arguments, and the raw rest after the sub-command. */
export function tokenize(text: string): { sub: string; args: string[]; rest: string } {
  const trimmed = text.trim();
  const m = trimmed.match(/^(\S*)\s*([\s\S]*)$/);
  const sub = (m?.[1] ?? '').toLowerCase();
  const rest = m?.[2] ?? '';
  return { sub, args: rest.split(/\s+/).filter(Boolean), rest };
}

/** A digest prefix as typed: 4..64 hex characters. */
export function digestArg(v: string | undefined): Parsed<string | undefined> {
  if (v === undefined) return { ok: true, value: undefined };
  if (!/^[0-9a-f]{4,64}$/i.test(v))
    return { ok: false, error: `"${v}" is not a plan digest (4 to 64 hex characters)` };
  return { ok: true, value: v.toLowerCase() };
}
