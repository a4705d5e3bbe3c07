import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../main.js';

export const command: CommandSpec = {
  name: 'bot',
  summary: 'run the Slack bot: /infra commands, approvals, drift alerts (Socket Mode or HTTP)',
  usage:
    'envc bot [--port N] [--spec FILE] [--stacks DIR] [--schedule JOB=CRON]... [--no-jobs] [--log-level LEVEL]',
  description: `Starts the Slack app (Bolt) for the spec's channel and keeps running until SIGTERM/SIGINT, then
stops taking requests, lets running plans/applies finish (at most 10 s) and exits 143 (130 for SIGINT).

Slack:
  SLACK_BOT_TOKEN        bot token (xoxb-…), required
  SLACK_APP_TOKEN        app-level token (xapp-…): Socket Mode, no public ingress needed
  SLACK_SIGNING_SECRET   without SLACK_APP_TOKEN: HTTP receiver at /slack/events on --port, every
                         request verified (signature, 5-minute window)
  SLACK_API_URL          Web API base URL (default https://slack.com/api/)
  ENVC_SLACK_USERGROUPS  handle=S… pairs for approvers named by handle (platform-leads=S0614TZR7,…)
Store and cluster:
  ENVC_STORE             embedded store directory (default .envc/state, SQLite) or postgres://… (several replicas)
  ENVC_ARGO_KUBE_URL     Kubernetes API of the cluster running ArgoCD (default: in-cluster service
  ENVC_ARGO_KUBE_TOKEN   account): read-only, to find an environment's Applications
  ENVC_ARGOCD_URL        ArgoCD API; syncs after an approved apply go through POST /api/v1/applications/{name}/sync
  ENVC_ARGOCD_TOKEN_<P>  token of project P's "bot" role (argocd proj role create-token P bot), one per project
                         (production, …, ENVC_ROOTS), or ENVC_ARGOCD_TOKENS_DIR with a file per project
  ENVC_API_TOKEN         bearer token of the read-only handoff API (GET /api/v1/handoff/{env})

Pages (plan review, environments, drift, access, audit log), served on --port when both are set:
  ENVC_WEB_URL           the pages' public base URL (links in approval messages; https → Secure cookie)
  ENVC_WEB_SECRET        signs sign-in links and sessions (32+ characters); /infra web issues a link
  ENVC_SLACK_CLIENT_ID   with ENVC_SLACK_CLIENT_SECRET: Sign in with Slack (OpenID Connect) as well;
  ENVC_SLACK_CLIENT_SECRET  the Slack app's redirect URL is <ENVC_WEB_URL>/signin/slack/callback
  ENVC_SLACK_TEAM_ID     only members of this workspace may sign in with Slack

HTTP endpoints (on --port, in both modes): /healthz, /readyz, /metrics (Prometheus text format).
Logs are JSON lines on stdout, secrets redacted; every decision is also an audit entry in the store.`,
  options: {
    port: {
      type: 'string',
      short: 'p',
      valueName: 'N',
      description: 'HTTP port (events in HTTP mode; health and metrics always)',
      default: '3000',
    },
    host: { type: 'string', valueName: 'ADDR', description: 'address to listen on', default: '0.0.0.0' },
    spec: {
      type: 'string',
      valueName: 'FILE',
      description: 'the spec to read',
      default: 'environments.yaml',
    },
    stacks: {
      type: 'string',
      valueName: 'DIR',
      description:
        'terraform roots, one sub-directory per environment (default generated/terraform/environments)',
    },
    schedule: {
      type: 'string',
      multiple: true,
      valueName: 'JOB=CRON',
      description: "override a job's schedule (node-cron, 5 or 6 fields), e.g. drift='*/30 * * * *'",
    },
    'no-jobs': {
      type: 'boolean',
      description: 'do not run scheduled jobs (drift checks, expiries) in this replica',
    },
    'log-level': {
      type: 'string',
      valueName: 'LEVEL',
      description: 'debug, info, warn or error',
      default: 'info',
    },
  },
  async run(ctx) {
    const { botSettings } = await import('../../bot/config.js');
    const { settings, errors } = botSettings(ctx.env, {
      port: ctx.flags.port as string | undefined,
      host: ctx.flags.host as string | undefined,
      jobs: !ctx.flags['no-jobs'],
      logLevel: ctx.flags['log-level'] as string | undefined,
      schedule: ctx.flags.schedule as string[] | undefined,
    });
    if (!settings) throw new UsageError(errors.join('; '));

    const { loadModel } = await import('../spec-model.js');
    const loaded = await loadModel(ctx);
    if ('result' in loaded) return loaded.result;

    const web = await webOptions(
      ctx.env,
      (ctx.flags.spec as string | undefined) ?? 'environments.yaml',
      ctx.cwd,
    );
    const { startBotProcess } = await import('../../bot/main.js');
    const starting = startBotProcess({
      settings,
      model: loaded.model,
      cwd: ctx.cwd,
      env: ctx.env,
      stacks: ctx.flags.stacks as string | undefined,
      specPath: (ctx.flags.spec as string | undefined) ?? 'environments.yaml',
      signal: ctx.signal,
      ...web,
    });
    const aborted = new Promise<'aborted'>((resolve) => {
      if (ctx.signal.aborted) resolve('aborted');
      else ctx.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    const first = await Promise.race([starting, aborted]);
    if (first === 'aborted') {
      // Whatever start-up waits on, the process is gone within SHUTDOWN_MS (main exits 130/143).
      await withinShutdown(starting.then((r) => (r.ok ? r.stop() : undefined)));
      return { exitCode: ExitCode.Ok };
    }
    const running = first;
    if (!running.ok) return { exitCode: ExitCode.Internal, stderr: `envc bot: ${running.message}\n` };
    ctx.progress(
      `envc bot: ${settings.mode === 'socket' ? 'Socket Mode' : `HTTP on :${running.port}/slack/events`}; health on :${running.port}/healthz`,
    );
    await aborted;
    if (!(await withinShutdown(running.stop())))
      ctx.progress(`envc bot: stopped waiting after ${SHUTDOWN_MS / 1000} s of shutdown`);
    return { exitCode: ExitCode.Ok };
  },
};

/** The longest a shutdown may take (Kubernetes' default grace period is 30 s; leave room). */
const SHUTDOWN_MS = 10_000;

/** True when `work` settled within SHUTDOWN_MS. */
async function withinShutdown(work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), SHUTDOWN_MS);
    timer.unref();
  });
  try {
    return await Promise.race([
      work.then(
        () => true as const,
        () => true as const,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The pages, when ENVC_WEB_URL and ENVC_WEB_SECRET are set: routes on the bot's server and links for messages. */
async function webOptions(env: NodeJS.ProcessEnv, specPath: string, cwd: string) {
  const base = env.ENVC_WEB_URL;
  if (!base) return {};
  const secret = env.ENVC_WEB_SECRET ?? '';
  if (secret.length < 32)
    throw new UsageError('ENVC_WEB_URL is set: ENVC_WEB_SECRET must be set too (32+ characters)');
  try {
    new URL(base);
  } catch {
    throw new UsageError(`ENVC_WEB_URL is not a URL: "${base}"`);
  }
  const { composePages, pageLinks } = await import('../../web/compose.js');
  const { dirname, join, resolve } = await import('node:path');
  const clientId = env.ENVC_SLACK_CLIENT_ID;
  const clientSecret = env.ENVC_SLACK_CLIENT_SECRET;
  if (Boolean(clientId) !== Boolean(clientSecret))
    throw new UsageError('Sign in with Slack needs both ENVC_SLACK_CLIENT_ID and ENVC_SLACK_CLIENT_SECRET');
  const auth = {
    mode: 'token' as const,
    secret,
    secure: base.startsWith('https:'),
    ...(clientId && clientSecret
      ? {
          slack: {
            clientId,
            clientSecret,
            // Tests point this at the local Slack stand-in; Slack's own is https://slack.com.
            issuer: env.ENVC_SLACK_OIDC_ISSUER || 'https://slack.com',
            redirectUri: `${base.replace(/\/$/, '')}/signin/slack/callback`,
            ...(env.ENVC_SLACK_TEAM_ID ? { teamId: env.ENVC_SLACK_TEAM_ID } : {}),
          },
        }
      : {}),
  };
  let warm: (digest: string) => void = () => {};
  return {
    pages: pageLinks(base, { auth, now: () => new Date() }, { linked: (d) => warm(d) }),
    routes: async (deps: Omit<import('../../bot/deps.js').BotDeps, 'slack'>) => {
      const pages = await composePages({
        store: deps.store,
        model: deps.model,
        approvers: deps.approvers,
        ...(deps.origins ? { origins: deps.origins } : {}),
        now: deps.now,
        generatedDir: join(dirname(resolve(cwd, specPath)), 'generated'),
        env,
        auth,
      });
      warm = pages.warm;
      return pages.routes;
    },
  };
}
