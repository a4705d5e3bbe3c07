/**
 * The runner's cost hook: prices each plan against the catalogue in use (read once, lazily), in the
 * environment's region and against its budget from the spec. Shared by the CLI and the bot through
 * createRunnerDeps, so `envc plan`, the stored plan (plan page) and the approval message show the same delta.
 */
import type { Model } from '../compiler/model.js';
import { loadCatalogue } from './catalogue-file.js';
import { type PlanCost, type PlanResourceChange, planCost } from './plan-cost.js';

export type PlanCoster = (
  env: string,
  plan: { resource_changes?: readonly PlanResourceChange[] },
) => PlanCost | undefined;

export function planCoster(o: {
  cwd: string;
  specPath?: string;
  env: NodeJS.ProcessEnv;
  model?: Model;
  today?: () => string;
}): PlanCoster {
  let loaded: ReturnType<typeof loadCatalogue> | undefined;
  return (envName, plan) => {
    loaded ??= loadCatalogue({
      cwd: o.cwd,
      ...(o.specPath ? { specPath: o.specPath } : {}),
      ...(o.env.ENVC_PRICES ? { explicit: o.env.ENVC_PRICES } : {}),
    });
    if ('error' in loaded) return undefined;
    const env = o.model?.environments.find((e) => e.name === envName);
    return planCost(plan.resource_changes ?? [], loaded.catalogue, {
      today: o.today?.() ?? new Date().toISOString().slice(0, 10),
      ...(env ? { region: env.region } : {}),
      ...(env?.budget ? { budget: env.budget.monthly } : {}),
      catalogueWhere: loaded.where,
    });
  };
}
