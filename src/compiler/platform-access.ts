/**
 * Who must reach what across environments, decided once after normalization (issue 11, findings 4 and 6):
 * - every control-plane ACL admits the ArgoCD/bot host's node egress (ArgoCD syncs and the bot talks to every
 *   API server) and the CI ranges (`envc plan|apply` in CI), besides the spec's own office ranges;
 * - every managed PostgreSQL admits its own environment's node egress and VPC subnet, besides its allowList.
 * Pure: the model in, a model out. Only an enabled ACL gets ranges added (a disabled one admits everyone).
 */
import type { EnvironmentModel, Model } from './model.js';

const uniq = (xs: readonly string[]) => [...new Set(xs)];

/** The environments whose pods call other clusters' API servers: ArgoCD's and the bot's hosts. */
export function platformHosts(model: Pick<Model, 'environments'>): EnvironmentModel[] {
  return model.environments.filter((e) => e.hosts.includes('argocd') || e.hosts.includes('bot'));
}

export function withPlatformAccess(model: Model, ci?: { ipv4?: string[]; ipv6?: string[] }): Model {
  const platform = uniq(platformHosts(model).flatMap((e) => e.network.nodeEgress));
  const ci4 = uniq(ci?.ipv4 ?? []);
  const ci6 = uniq(ci?.ipv6 ?? []);
  const environments = model.environments.map((env): EnvironmentModel => {
    const acl = env.cluster.controlPlaneAcl;
    const pg = env.dataServices.postgres;
    return {
      ...env,
      cluster: {
        ...env.cluster,
        controlPlaneAcl: acl.enabled
          ? {
              ...acl,
              ipv4: uniq([...acl.ipv4, ...platform, ...ci4]),
              ipv6: uniq([...acl.ipv6, ...ci6]),
              platform,
              ci: uniq([...ci4, ...ci6]),
            }
          : acl,
      },
      dataServices: {
        ...env.dataServices,
        ...(pg
          ? {
              postgres: {
                ...pg,
                allowList: uniq([
                  ...pg.allowList,
                  ...env.network.nodeEgress,
                  ...(env.network.vpc ? [env.network.vpc.subnet] : []),
                ]),
              },
            }
          : {}),
      },
    };
  });
  return { ...model, environments };
}
