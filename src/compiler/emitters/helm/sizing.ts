/**
 * How big each add-on runs in an environment. Production and system are sized for HA (several replicas,
 * spread across nodes, disruption budgets); other environments run one replica of each. Storage follows the
 * spec's retention. Pure.
 */
import type { EnvironmentModel } from '../../model.js';
import { parseDuration } from '../../quantities.js';

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu?: string; memory: string };
}

export interface Sizing {
  ha: boolean;
  replicas: {
    prometheus: number;
    alertmanager: number;
    ingress: number;
    certManager: number;
    argocd: number;
    lokiGateway: number;
  };
  resources: Record<
    | 'prometheus'
    | 'alertmanager'
    | 'grafana'
    | 'loki'
    | 'tempo'
    | 'alloy'
    | 'ingress'
    | 'certManager'
    | 'sealedSecrets'
    | 'argocd',
    Resources
  >;
  storage: { prometheusGi: number; lokiGi: number; tempoGi: number; alertmanagerGi: number };
}

const r = (cpu: string, memory: string, limitMemory: string, limitCpu?: string): Resources => ({
  requests: { cpu, memory },
  limits: { ...(limitCpu ? { cpu: limitCpu } : {}), memory: limitMemory },
});

/** Whether the environment's add-ons must survive a node loss. */
export function isHa(env: EnvironmentModel): boolean {
  return env.tier !== 'non-production';
}

function days(text: string): number {
  return Math.max(1, Math.ceil((parseDuration(text) ?? 7 * 86_400) / 86_400));
}

/** Go/Loki/Tempo durations in hours (Tempo rejects `d`). */
export function hours(text: string): string {
  return `${Math.ceil((parseDuration(text) ?? 7 * 86_400) / 3600)}h`;
}

export function sizing(env: EnvironmentModel): Sizing {
  const ha = isHa(env);
  const big = env.tier === 'production';
  const metricsDays = days(env.observability.retention);
  const logsDays = days(env.observability.logsRetention);
  const tracesDays = days(env.observability.tracesRetention);
  return {
    ha,
    replicas: {
      prometheus: ha ? 2 : 1,
      alertmanager: ha ? 3 : 1,
      ingress: ha ? 3 : 1,
      certManager: ha ? 2 : 1,
      argocd: ha ? 2 : 1,
      lokiGateway: ha ? 2 : 1,
    },
    resources: {
      prometheus: big ? r('1', '4Gi', '8Gi') : ha ? r('500m', '2Gi', '4Gi') : r('250m', '1Gi', '2Gi'),
      alertmanager: r('50m', '64Mi', '256Mi'),
      grafana: ha ? r('100m', '256Mi', '512Mi') : r('50m', '128Mi', '512Mi'),
      loki: big ? r('1', '2Gi', '4Gi') : ha ? r('500m', '1Gi', '2Gi') : r('200m', '512Mi', '1Gi'),
      tempo: big ? r('500m', '1Gi', '2Gi') : r('100m', '256Mi', '1Gi'),
      alloy: r('50m', '128Mi', '512Mi'),
      ingress: big ? r('500m', '512Mi', '1Gi') : r('100m', '128Mi', '512Mi'),
      certManager: r('50m', '64Mi', '256Mi'),
      sealedSecrets: r('50m', '64Mi', '256Mi'),
      argocd: ha ? r('250m', '512Mi', '1Gi') : r('100m', '256Mi', '512Mi'),
    },
    // Roughly what a few hundred pods produce per day, with headroom; never below a sensible floor.
    storage: {
      prometheusGi: Math.max(20, metricsDays * (big ? 4 : 2)),
      lokiGi: Math.max(20, logsDays * (big ? 4 : 2)),
      tempoGi: Math.max(10, tracesDays * (big ? 2 : 1)),
      alertmanagerGi: 2,
    },
  };
}
