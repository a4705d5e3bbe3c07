import type { AccessPolicyModel } from '../model.js';
import { parseDuration } from '../quantities.js';
import type { NormalizeContext, Seg } from './context.js';
import { resolveEnvList } from './context.js';

/** `accessPolicies:` with defaults applied and `environments` resolved (ENVC1201 for unknown names). */
export function accessPolicyModels(ctx: NormalizeContext): AccessPolicyModel[] {
  const { spec, origin } = ctx;
  return (spec.accessPolicies ?? []).map((p, i) => {
    const at: Seg[] = ['accessPolicies', i];
    return {
      name: p.name,
      ...(p.description ? { description: p.description } : {}),
      environments: resolveEnvList(
        ctx,
        p.environments,
        [...at, 'environments'],
        'ENVC1201',
        `access policy "${p.name}"`,
      ),
      role: p.role,
      scope: p.scope ?? 'namespace',
      ...(p.namespaces ? { namespaces: [...p.namespaces] } : {}),
      maxDuration: p.maxDuration,
      maxDurationSeconds: parseDuration(p.maxDuration) ?? 0,
      approvers: p.approvers ?? [...(spec.slack.approvers ?? [])],
      minApprovals: p.minApprovals ?? 1,
      breakGlass: p.breakGlass ?? false,
      groups: p.groups ?? [],
      origin: origin(at, false),
    };
  });
}
