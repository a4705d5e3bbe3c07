/**
 * The `terraform` emitter: reusable modules under terraform/modules/ and one stack per environment under
 * terraform/environments/<env>/. Pure — the model in, files and diagnostics out; templates are read from
 * templates/terraform/ once per process.
 */
import type { EnvironmentModel, Model } from '../../model.js';
import type { Emitter, GeneratedFile } from '../types.js';
import { renderBootstrap } from './bootstrap.js';
import { checkEnvironment } from './checks.js';
import { checkIngressHosts } from './ingress-hosts.js';
import { renderModules } from './modules.js';
import { renderStack, type StackContext } from './stack.js';

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

export const terraformEmitter: Emitter = {
  name: 'terraform',
  emit(model) {
    const diagnostics = model.environments.flatMap((e) => [...checkEnvironment(e), ...checkIngressHosts(e)]);
    if (diagnostics.some((d) => d.severity === 'error')) return { files: [], diagnostics };
    const ctx: StackContext = {};
    const argocdHost = argocdHostOf(model);
    const stateHost = stateHostOf(model);
    if (argocdHost) ctx.argocdHost = argocdHost;
    if (stateHost) ctx.stateHost = stateHost;
    const files: GeneratedFile[] = renderModules(model.environments.some((e) => e.protected));
    files.push(...renderBootstrap(model));
    for (const env of model.environments) files.push(...renderStack(model, env, ctx));
    return { files, diagnostics };
  },
};
