import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../main.js';

export const command: CommandSpec = {
  name: 'probe',
  summary: "probe each cluster's /readyz and each service's health URL; record and report availability",
  usage:
    'envc probe [--env E]... [--all] [--target ENV[/SERVICE]=URL]... [--json] [--fail-on burn|down|never]',
  description: `Sends one GET to every environment's control plane (/readyz) and every service's ingress health
URL, records each result in the store (ENVC_STORE), and reports availability over 1h, 1d, 7d and 30d and
whether the error budget of the spec's SLO burns too fast (the same multi-window rule as the generated
PrometheusRules: 1h/5m at 14.4x, 6h/30m at 6x, 1d/2h at 3x, 3d/6h at 1x).

Where the URLs come from:
  control plane  --target ENV=URL, else ENVC_API_SERVER_<ENV>, else the server of the kubeconfig in
                 ENVC_KUBECONFIG_<ENV> or ENVC_KUBECONFIG_DIR/<env>.yaml (its CA is trusted)
  services       https://<ingress host><ingress path><health path>, or --target ENV/SERVICE=URL as base
  ENVC_PROBE_TARGETS may hold the same overrides, comma-separated.
Targets without a URL are listed as skipped and do not count.

Exit codes: 0 by default even when a target is down, 1 when a burn-rate alert fires (--fail-on burn);
--fail-on down also fails on any down target; --fail-on never always exits 0 unless envc itself fails.

Examples:
  envc probe --all
  envc probe --env staging --target staging=https://127.0.0.1:6443 --json`,
  options: {
    env: {
      type: 'string',
      multiple: true,
      short: 'e',
      valueName: 'ENV',
      description: 'environment to probe (repeatable)',
    },
    all: { type: 'boolean', description: 'probe every environment (the default without --env)' },
    target: {
      type: 'string',
      multiple: true,
      valueName: 'ENV[/SERVICE]=URL',
      description: 'URL override (repeatable)',
    },
    timeout: { type: 'string', valueName: 'SECONDS', description: 'per-request deadline', default: '5' },
    'fail-on': {
      type: 'string',
      valueName: 'burn|down|never',
      description: 'what makes the exit code 1',
      default: 'burn',
    },
    json: { type: 'boolean', description: 'print results as JSON' },
    spec: {
      type: 'string',
      valueName: 'FILE',
      description: 'the spec to read',
      default: 'environments.yaml',
    },
  },
  async run(ctx) {
    const failOn = (ctx.flags['fail-on'] as string | undefined) ?? 'burn';
    if (!['burn', 'down', 'never'].includes(failOn))
      throw new UsageError(`--fail-on must be burn, down or never, not "${failOn}"`);
    const timeout = Number((ctx.flags.timeout as string | undefined) ?? '5');
    if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 120)
      throw new UsageError('--timeout takes seconds between 0 and 120');
    const names = (ctx.flags.env as string[] | undefined) ?? [];
    if (names.length > 0 && ctx.flags.all) throw new UsageError('use --env or --all, not both');

    const { parseTargetOverrides } = await import('../../probe/targets.js');
    const parsed = parseTargetOverrides([
      ...((ctx.flags.target as string[] | undefined) ?? []),
      ctx.env.ENVC_PROBE_TARGETS ?? '',
    ]);
    if (parsed.errors.length > 0) throw new UsageError(parsed.errors.join('; '));

    const { loadModel, selectEnvironments } = await import('../spec-model.js');
    const loaded = await loadModel(ctx);
    if ('result' in loaded) return loaded.result;
    const envs = selectEnvironments(loaded.model, names, Boolean(ctx.flags.all));
    if (typeof envs === 'string') throw new UsageError(envs);
    for (const key of parsed.overrides.keys()) {
      const [envName, svc] = key.split('/');
      const env = loaded.model.environments.find((e) => e.name === envName);
      if (!env) throw new UsageError(`--target names unknown environment "${envName}"`);
      if (svc && !env.services.some((s) => s.name === svc))
        throw new UsageError(`--target names service "${svc}", which does not run in "${envName}"`);
    }

    const { openStore } = await import('../../store/index.js');
    const store = await openStore(ctx.env.ENVC_STORE, { cwd: ctx.cwd });
    try {
      const { probeAll } = await import('../../probe/index.js');
      ctx.progress(`probing ${envs.map((e) => e.name).join(', ')}`);
      const probes = await probeAll(loaded.model, envs, {
        store,
        env: ctx.env,
        overrides: parsed.overrides,
        timeoutMs: timeout * 1000,
      });
      const { probeJson, renderProbeText } = await import('../probe-report.js');
      const down = probes.some((p) => p.results.some((r) => !r.ok));
      const burning = probes.some((p) => p.slo.severity !== undefined);
      const failed = (failOn === 'burn' && burning) || (failOn === 'down' && (down || burning));
      return {
        exitCode: failed ? ExitCode.Findings : ExitCode.Ok,
        stdout: ctx.flags.json
          ? `${JSON.stringify(probeJson(probes), null, 2)}\n`
          : renderProbeText(probes, ctx.style),
      };
    } finally {
      await store.close();
    }
  },
};
