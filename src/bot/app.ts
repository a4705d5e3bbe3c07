import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { BotDeps } from './deps.js';
import { botRoutes, type Route, routeServer } from './http/routes.js';
import { jobs as allJobs } from './jobs/index.js';
import { type Scheduler, startScheduler } from './jobs/scheduler.js';
import type { Job } from './jobs/types.js';
import { actionListeners } from './listeners/actions/index.js';
import { subCommands } from './listeners/commands/index.js';
import { registerActions, registerCommands, registerViews } from './listeners/register.js';
import { viewListeners } from './listeners/views/index.js';
import { boltLogger } from './log.js';
import { outbound } from './outbound.js';

/**
 * The Bolt app: receiver (Socket Mode with an app token, else HTTP with request signing), the three
 * listener registries, the HTTP routes (health, metrics, handoff API) and the scheduler. Everything else
 * lives in the modules it wires together.
 */
export interface BotConfig {
  botToken: string;
  /** Socket Mode when set (xapp-…). */
  appToken?: string;
  /** HTTP mode: verifies X-Slack-Signature. */
  signingSecret?: string;
  /** Web API base (default Slack's); also where Socket Mode asks for its WebSocket URL. */
  apiUrl?: string;
  /** HTTP mode: Bolt's server (/slack/events + health); Socket Mode: the health server. 0 = any free port. */
  port: number;
  host?: string;
  /** Bearer token of the read-only handoff API (GET /api/v1/handoff/{env}); unset → that API answers 503. */
  apiToken?: string;
  /** More routes on the same server: the web pages (a front end of their own, built by the caller). */
  extraRoutes?: Route[];
}

export interface Bot {
  app: App;
  deps: BotDeps;
  mode: 'socket' | 'http';
  /** The port the HTTP server listens on (after start). */
  port: number;
  scheduler?: Scheduler;
  start(opts?: { jobs?: Job[] | false; schedules?: Record<string, string> }): Promise<void>;
  /** Graceful: not ready → scheduler stopped → no new requests → running work drained. */
  stop(): Promise<void>;
}

export async function createBot(config: BotConfig, base: Omit<BotDeps, 'slack'>): Promise<Bot> {
  const bolt = await import('@slack/bolt');
  const logger = boltLogger(base.log);
  const net = outbound(base.log);
  const clientOptions = { ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}), fetch: net.fetch };
  let shuttingDown = false;
  let slackOk = false;
  const readiness = {
    checks: {
      store: async () => {
        await base.store.getLock('__readyz__');
        return true;
      },
      slack: async () => slackOk,
    },
    shuttingDown: () => shuttingDown,
  };
  const routes = [
    ...(await botRoutes({
      metrics: base.metrics,
      readiness,
      apiToken: config.apiToken,
      model: () => base.model,
    })),
    ...(config.extraRoutes ?? []),
  ];
  const receivedAt = () => ({ receivedAt: performance.now() });
  const mode: Bot['mode'] = config.appToken ? 'socket' : 'http';
  const receiver =
    mode === 'socket'
      ? new bolt.SocketModeReceiver({
          appToken: config.appToken!,
          logger,
          customPropertiesExtractor: receivedAt,
          installerOptions: { clientOptions },
        })
      : new bolt.HTTPReceiver({
          signingSecret: config.signingSecret ?? '',
          endpoints: ['/slack/events'],
          customRoutes: routes,
          logger,
          customPropertiesExtractor: receivedAt,
          // Nothing else may answer 401/404 paths: Bolt's default handler does (and logs).
        });
  const app = new bolt.App({ token: config.botToken, receiver, logger, clientOptions });
  app.client.on(bolt.webApi.WebClientEvent.RATE_LIMITED, (_retryAfter: number, req: { url?: string }) => {
    base.metrics.rateLimited.inc({
      method:
        String(req?.url ?? '')
          .split('/')
          .pop() ?? '?',
    });
  });
  const deps: BotDeps = { ...base, slack: app.client };

  registerCommands(app, deps, subCommands);
  registerActions(app, deps, actionListeners);
  registerViews(app, deps, viewListeners);
  app.error(async (err) => {
    deps.log.error('unhandled Bolt error', { error: err });
  });

  let healthServer: Server | undefined;
  const bot: Bot = {
    app,
    deps,
    mode,
    port: config.port,
    async start(opts = {}) {
      // Fail fast on a bad token, and learn it for /readyz.
      await app.client.auth.test();
      slackOk = true;
      if (mode === 'http') {
        const server = (await app.start({ port: config.port, host: config.host ?? '0.0.0.0' })) as Server;
        bot.port = (server.address() as AddressInfo).port;
      } else {
        const served = await routeServer(routes, config.port, config.host ?? '0.0.0.0');
        healthServer = served.server;
        bot.port = served.port;
        await app.start();
      }
      if (opts.jobs !== false)
        bot.scheduler = await startScheduler(deps, opts.jobs ?? allJobs, opts.schedules ?? {});
      deps.log.info('bot started', { mode, port: bot.port, jobs: bot.scheduler?.schedules ?? {} });
    },
    async stop() {
      if (shuttingDown) return;
      shuttingDown = true;
      deps.log.info('bot stopping');
      await bot.scheduler?.stop();
      await app.stop().catch((err: Error) => deps.log.warn('receiver stop', { error: err }));
      const drained = await deps.tasks.drain();
      if (!drained) deps.log.warn('background work still running at shutdown', { tasks: deps.tasks.size });
      net.abortAll(); // a Slack call still retrying (no network) must not keep the process

      if (healthServer) {
        healthServer.closeAllConnections();
        await new Promise<void>((ok) => healthServer!.close(() => ok()));
      }
      deps.log.info('bot stopped', { drained });
    },
  };
  return bot;
}
