import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { Model } from '../compiler/model.js';
import { Redactor } from '../redact.js';
import type { Store } from '../store/types.js';
import { createBot } from './app.js';
import { createApproverDirectory } from './approvers.js';
import { createArgoSync, kubeHttpFromEnv } from './argo.js';
import { createAuditor } from './audit.js';
import type { BotSettings } from './config.js';
import type { BotDeps, PageLinks } from './deps.js';
import type { Route } from './http/routes.js';
import { createLog } from './log.js';
import { createMetrics } from './metrics.js';
import { originLookup } from './origins.js';
import { outboundLog } from './outbound.js';
import type { BotRunner } from './runner.js';
import { Tasks } from './tasks.js';

/**
 * Builds the bot's dependencies from settings (store, logs, metrics, approvers, ArgoCD, runner) and starts
 * it; `envc bot` waits for a signal and calls stop(). Failures to start are values, and whatever was
 * opened is closed again.
 */
export interface StartBotOptions {
  settings: BotSettings;
  model: Model;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stacks?: string;
  specPath: string;
  /** Tests: a runner instead of src/runner. */
  runner?: BotRunner;
  /** Tests: log lines go here instead of stdout. */
  sink?: (line: string) => void;
  /** SIGINT/SIGTERM: aborts a start that is still waiting on Slack. */
  signal?: AbortSignal;
  /** More routes on the bot's server (the web pages), built from the bot's dependencies. */
  routes?: (deps: Omit<BotDeps, 'slack'>) => Route[] | Promise<Route[]>;
  /** Links to the pages for messages (`View the full change`) and `/infra web`. */
  pages?: PageLinks;
}

export type RunningBot = { ok: true; port: number; stop(): Promise<void> } | { ok: false; message: string };

export async function startBotProcess(o: StartBotOptions): Promise<RunningBot> {
  const s = o.settings;
  const redactor = new Redactor([
    s.botToken,
    s.appToken,
    s.signingSecret,
    o.env.ENVC_ARGO_KUBE_TOKEN,
    ...Object.entries(o.env)
      .filter(([k]) => k.startsWith('ENVC_ARGOCD_TOKEN_'))
      .map(([, v]) => v),
    o.env.ENVC_API_TOKEN,
    o.env.ENVC_SLACK_CLIENT_SECRET,
    o.env.ENVC_WEB_SECRET,
    o.env.LINODE_TOKEN,
  ]);
  const storeUrl = s.store;
  if (storeUrl) {
    try {
      redactor.add(decodeURIComponent(new URL(storeUrl).password) || undefined);
    } catch {}
  }
  const log = createLog({ level: s.logLevel, redactor, ...(o.sink ? { sink: o.sink } : {}) });
  let store: Store | undefined;
  try {
    const { openStore } = await import('../store/index.js');
    store = await openStore(storeUrl, { cwd: o.cwd });
    const metrics = await createMetrics();
    // Secret freshness and active JIT grants (issue 7), read from the store at scrape time.
    await (await import('../rotation/bot-metrics.js')).registerStateMetrics(metrics.registry, {
      store,
      model: o.model,
    });
    const now = () => new Date();
    const tasks = new Tasks(log);
    let slack:
      | { usergroups: { users: { list(a: { usergroup: string }): Promise<{ users?: string[] }> } } }
      | undefined;
    const approvers = createApproverDirectory({
      lister: { usersOf: async (g) => (await slack!.usergroups.users.list({ usergroup: g })).users ?? [] },
      handles: { ...o.model.slack.usergroups, ...s.usergroups },
      log,
    });
    // Every failed outbound call — ArgoCD, the Linode and Kubernetes APIs, Slack (app.ts) — is one warn line.
    const outboundFailed = outboundLog(log);
    const kube = await kubeHttpFromEnv(o.env, outboundFailed);
    const argocdApi = (await import('../integrations/argocd.js')).argoCdApiFromEnv(o.env, outboundFailed);
    const specAbs = isAbsolute(o.specPath) ? o.specPath : join(o.cwd, o.specPath);
    const manifest = await readFile(join(dirname(specAbs), 'generated', 'manifest.json'), 'utf8').catch(
      () => undefined,
    );
    const runner =
      o.runner ??
      (await (
        await import('./runner-adapter.js')
      ).createBotRunner({
        model: o.model,
        store,
        cwd: o.cwd,
        env: o.env,
        stacks: o.stacks,
        specPath: o.specPath,
        log,
        approvers,
      }));
    const base: Omit<BotDeps, 'slack'> = {
      store,
      model: o.model,
      runner,
      log,
      metrics,
      audit: createAuditor(store, log, now, (t) => redactor.text(t)),
      approvers,
      argo: kube && argocdApi ? createArgoSync(kube, argocdApi) : undefined,
      now,
      tasks,
      channel: o.model.slack.channel,
      botActor: 'envc-bot',
      integrations: (await import('../integrations/deps.js')).integrationsFromEnv(
        o.env,
        o.model,
        outboundFailed,
      ),
      redact: (t) => redactor.text(t),
      origins: originLookup(manifest, o.model.sourceFile),
      ...(o.pages ? { pages: o.pages } : {}),
    };
    const extraRoutes = o.routes ? await o.routes(base) : [];
    const bot = await createBot(
      {
        botToken: s.botToken,
        appToken: s.appToken,
        signingSecret: s.signingSecret,
        apiUrl: s.apiUrl,
        port: s.port,
        host: s.host,
        apiToken: o.env.ENVC_API_TOKEN,
        extraRoutes,
      },
      base,
    );
    slack = bot.deps.slack;
    // A signal while starting (Bolt's auth.test retrying against an unreachable Slack): stop, which
    // aborts the calls in flight, so start fails now instead of after its retries.
    const onAbort = () => void bot.stop();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await bot.start({ jobs: s.jobs ? undefined : false, schedules: s.schedules });
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
    if (o.signal?.aborted) throw new Error('interrupted while starting');
    const opened = store;
    return {
      ok: true,
      port: bot.port,
      async stop() {
        await bot.stop();
        await opened.close();
      },
    };
  } catch (err) {
    log.error('bot did not start', { error: err });
    await store?.close().catch(() => {});
    return { ok: false, message: redactor.text((err as Error).message) };
  }
}
