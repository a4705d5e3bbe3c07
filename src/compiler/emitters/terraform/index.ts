/**
 * The `terraform` emitter: reusable modules under terraform/modules/ and one stack per environment under
 * terraform/environments/<env>/. Pure — the model in, files and diagnostics out; templates are read from
 * templates/terraform/ once per process.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { EnvironmentModel, Model } from '../../model.js';
import type { Emitter, GeneratedFile } from '../types.js';
import { renderModules } from './modules.js';
import { renderStack, type StackContext } from './stack.js';
import { createdPools } from './tfvars.js';

export { CHARTS, PROVIDERS, TERRAFORM_VERSION, VALUES_FILE_RELEASES } from './versions.js';

/** The environment running ArgoCD: the first with `hosts: [argocd]`. */
export function argocdHostOf(model: Model): EnvironmentModel | undefined {
  return model.environments.find((e) => e.hosts.includes('argocd'));
}

/**
 * The environment whose stack creates the state bucket: the one hosting the bot (the runner applies every
 * stack with its scoped key), else the system tier, else the first environment.
 */
export function stateHostOf(model: Model): EnvironmentModel | undefined {
  return (
    model.environments.find((e) => e.hosts.includes('bot')) ??
    model.environments.find((e) => e.tier === 'system') ??
    model.environments[0]
  );
}

/** What the schema cannot see but Linode would refuse: reported at the spec line, before any plan. */
function check(env: EnvironmentModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (o = env.origin) => ({ file: o.file, line: o.line, column: o.column, path: o.path });
  if (createdPools(env).length === 0) {
    out.push({
      code: 'ENVC3201',
      severity: 'error',
      message: `environment "${env.name}" has no node pool with nodes; an LKE cluster needs at least one`,
      hint: 'give one pool a count of at least 1 (pools with count 0 are not created)',
      ...at(env.cluster.origin),
    });
  }
  const fw = env.network.firewall.label;
  if (fw.length > 32) {
    out.push({
      code: 'ENVC3202',
      severity: 'error',
      message: `the firewall label "${fw}" of environment "${env.name}" has ${fw.length} characters; Linode allows 32`,
      hint: 'the label is <platform>-<environment>-nodes: shorten the platform or the environment name',
      ...at(env.network.firewall.origin),
    });
  }
  return out;
}

export const terraformEmitter: Emitter = {
  name: 'terraform',
  emit(model) {
    const diagnostics = model.environments.flatMap(check);
    if (diagnostics.some((d) => d.severity === 'error')) return { files: [], diagnostics };
    const ctx: StackContext = {};
    const argocdHost = argocdHostOf(model);
    const stateHost = stateHostOf(model);
    if (argocdHost) ctx.argocdHost = argocdHost;
    if (stateHost) ctx.stateHost = stateHost;
    const files: GeneratedFile[] = renderModules(model.environments.some((e) => e.protected));
    for (const env of model.environments) files.push(...renderStack(model, env, ctx));
    return { files, diagnostics };
  },
};
