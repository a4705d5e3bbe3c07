/**
 * What `envc access` and `envc rotate` share around their work: the model from --spec, then the operator
 * (store, integrations, who is acting, Slack when configured), closed once the work is done. The heavy
 * modules load only when the command runs.
 */

import type { CommandContext, CommandResult, OptionSpec } from './command.js';
import type { Operator } from './operator.js';

/** --json and --spec, as both commands take them. */
export const operatorOptions: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'print the result as JSON' },
  spec: {
    type: 'string',
    valueName: 'FILE',
    description: 'the spec to read',
    default: 'environments.yaml',
  },
};

export async function withOperator(
  ctx: CommandContext,
  opts: { email?: string; readOnly?: boolean },
  work: (op: Operator) => Promise<CommandResult>,
): Promise<CommandResult> {
  const { loadModel } = await import('./spec-model.js');
  const loaded = await loadModel(ctx, undefined, { readOnly: opts.readOnly === true });
  if ('result' in loaded) return loaded.result;
  const { openOperator } = await import('./operator.js');
  const op = await openOperator(ctx, loaded.model, opts);
  try {
    return await work(op);
  } finally {
    await op.close();
  }
}

/** The flags among `names` that were given as strings; the others are left out (not set to undefined). */
export function stringFlags<K extends string>(
  ctx: CommandContext,
  names: readonly K[],
): { [P in K]?: string } {
  const out: { [P in K]?: string } = {};
  for (const n of names) {
    const v = ctx.flags[n];
    if (typeof v === 'string') out[n] = v;
  }
  return out;
}
