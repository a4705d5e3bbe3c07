/**
 * The scheduled availability probe (`schedules.probe`): probes every environment like `envc probe`,
 * records the results, and keeps one Slack thread per burn episode — posted when an environment's error
 * budget starts burning too fast (the multi-window rule of src/probe/burn-rate.ts, the same as the
 * generated PrometheusRules), updated in place while it lasts, replied to when it gets worse or better,
 * and resolved when no window pair fires any more.
 *
 * Episode state lives in the audit log (`slo.burn` → `slo.change`* → `slo.resolve`, newest decides), so
 * it survives restarts and is shared by replicas; the scheduler runs each tick on one replica only.
 */
import type { HttpGet } from '../../probe/http.js';
import { probeAll } from '../../probe/index.js';
import type { EnvironmentProbe } from '../../probe/run.js';
import { parseTargetOverrides } from '../../probe/targets.js';
import { type BurnState, type BurnUpdate, burnMessage, burnReply } from '../blocks/probe.js';
import type { BotDeps } from '../deps.js';
import { outboundLog } from '../outbound.js';
import { type Posted, post, reply, update } from '../slack-messages.js';
import type { Job } from './types.js';

export const SLO_MESSAGE_KIND = 'slo';

interface EpisodeDetails {
  channel: string;
  ts: string;
  since: string;
  severity: 'page' | 'ticket';
  firing: string[];
}

export interface ProbeJobOptions {
  /** Process environment: ENVC_PROBE_TARGETS, ENVC_API_SERVER_<ENV>, ENVC_KUBECONFIG_<ENV> (default process.env). */
  env?: NodeJS.ProcessEnv;
  http?: HttpGet;
  readKubeconfig?: (env: string) => Promise<string>;
  timeoutMs?: number;
}

const rank = (severity: string | undefined, firing: number) =>
  (severity === 'page' ? 100 : severity === 'ticket' ? 10 : 0) + firing;

async function openEpisode(deps: BotDeps, env: string): Promise<EpisodeDetails | undefined> {
  const [last] = await deps.store.listAudit({ env, action: 'slo.*', limit: 1 });
  if (!last || last.action === 'slo.resolve') return undefined;
  return last.details as unknown as EpisodeDetails;
}

/** Shows one environment's probe round in Slack; returns what happened. */
export async function reportBurn(
  deps: BotDeps,
  p: EnvironmentProbe,
): Promise<'opened' | BurnUpdate | 'still' | 'ok'> {
  const open = await openEpisode(deps, p.env);
  const now = deps.now();
  const firing = p.slo.firing.map((w) => w.id);
  if (!open && !p.slo.severity) return 'ok';

  if (!open) {
    const state: BurnState = { env: p.env, status: 'burning', since: now, probe: p };
    const at = await post(deps, burnMessage(state));
    await deps.store.saveMessageRef({
      kind: SLO_MESSAGE_KIND,
      key: `${p.env}:${now.toISOString()}`,
      channel: at.channel,
      ts: at.ts,
    });
    const details: EpisodeDetails = {
      channel: at.channel,
      ts: at.ts,
      since: now.toISOString(),
      severity: p.slo.severity!,
      firing,
    };
    await deps.audit({ actor: deps.botActor, env: p.env, action: 'slo.burn', details: { ...details } });
    return 'opened';
  }

  const at: Posted = { channel: open.channel, ts: open.ts };
  const since = new Date(open.since);
  if (!p.slo.severity) {
    const state: BurnState = { env: p.env, status: 'resolved', since, probe: p, resolvedAt: now };
    await update(deps, at, burnMessage(state));
    await reply(deps, at, burnReply('resolved', state));
    await deps.audit({
      actor: deps.botActor,
      env: p.env,
      action: 'slo.resolve',
      details: { channel: at.channel, ts: at.ts, since: open.since },
    });
    return 'resolved';
  }

  const state: BurnState = { env: p.env, status: 'burning', since, probe: p };
  await update(deps, at, burnMessage(state));
  const before = rank(open.severity, open.firing.length);
  const after = rank(p.slo.severity, firing.length);
  if (before === after && open.firing.join() === firing.join()) return 'still';
  const kind: BurnUpdate = after >= before ? 'worse' : 'better';
  await reply(deps, at, burnReply(kind, state));
  const details: EpisodeDetails = { ...open, severity: p.slo.severity, firing };
  await deps.audit({ actor: deps.botActor, env: p.env, action: 'slo.change', details: { ...details } });
  return kind;
}

export function probeJob(opts: ProbeJobOptions = {}): Job {
  return {
    name: 'probe',
    schedule: (model) => model.schedules.probe,
    async run(deps) {
      const env = opts.env ?? process.env;
      const { overrides, errors } = parseTargetOverrides([env.ENVC_PROBE_TARGETS ?? '']);
      if (errors.length > 0)
        deps.log.warn('ENVC_PROBE_TARGETS has malformed entries; they are ignored', { errors });
      const results: Record<string, string> = {};
      // One environment at a time, each in its own try: one failing environment must not hide the others.
      for (const e of deps.model.environments) {
        try {
          const [probe] = await probeAll(deps.model, [e], {
            store: deps.store,
            env,
            overrides,
            now: deps.now,
            // The burn-rate rule looks back 3 days at most; reading 30 days every minute would be waste
            // (the message shows no 30-day figure; `envc probe` does).
            historySeconds: 3 * 86_400,
            report: outboundLog(deps.log),
            ...(opts.http ? { http: opts.http } : {}),
            ...(opts.readKubeconfig ? { readKubeconfig: opts.readKubeconfig } : {}),
            ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
          });
          results[e.name] = await reportBurn(deps, probe!);
        } catch (err) {
          results[e.name] = 'error';
          deps.log.error('availability probe failed', { env: e.name, error: err });
        }
      }
      return results;
    },
  };
}

const probe = probeJob();
export default probe;
