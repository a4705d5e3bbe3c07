/**
 * `envc probe` as a plain function: resolve targets per environment, probe, record, evaluate.
 * The CLI command and the bot's scheduled job both call `probeAll`.
 */
import { performance } from 'node:perf_hooks';
import type { EnvironmentModel, Model } from '../compiler/model.js';
import type { OutboundReporter } from '../net/outbound.js';
import type { Store } from '../store/types.js';
import { SLO_PERIOD_SECONDS } from './burn-rate.js';
import { type HttpGet, httpGet, reportingGet } from './http.js';
import { type EnvironmentProbe, probeEnvironment } from './run.js';
import { resolveTargets } from './targets.js';

export interface ProbeAllDeps {
  store: Pick<Store, 'recordProbe' | 'probeSeries'>;
  env: NodeJS.ProcessEnv;
  overrides: Map<string, string>;
  http?: HttpGet;
  now?: () => Date;
  timeoutMs?: number;
  /** How much history to evaluate: the burn-rate rule needs 3 days, the 30-day figure needs 30 (default). */
  historySeconds?: number;
  readKubeconfig?: (env: string) => Promise<string>;
  /** Told of every failed probe (src/net/outbound.ts). */
  report?: OutboundReporter;
}

async function defaultKubeconfig(envName: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { kubeconfigFor } = await import('../integrations/kubernetes.js');
  return kubeconfigFor(envName, { env });
}

/** Environments are probed one after another (targets within one concurrently): results stay in order. */
export async function probeAll(
  model: Model,
  envs: readonly EnvironmentModel[],
  deps: ProbeAllDeps,
): Promise<EnvironmentProbe[]> {
  const out: EnvironmentProbe[] = [];
  for (const env of envs) {
    const { targets, skipped } = await resolveTargets(env, {
      env: deps.env,
      overrides: deps.overrides,
      readKubeconfig: deps.readKubeconfig ?? ((name) => defaultKubeconfig(name, deps.env)),
    });
    out.push(
      await probeEnvironment(
        env.name,
        targets,
        skipped,
        model.slo.availability,
        {
          store: deps.store,
          http: deps.report ? reportingGet(deps.http ?? httpGet, deps.report) : (deps.http ?? httpGet),
          now: deps.now ?? (() => new Date()),
          monotonic: () => performance.now(),
          timeoutMs: deps.timeoutMs ?? 5000,
        },
        deps.historySeconds ?? SLO_PERIOD_SECONDS,
      ),
    );
  }
  return out;
}

export type { EnvironmentProbe } from './run.js';
