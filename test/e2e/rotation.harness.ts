/**
 * The world rotation and access tests run in: the shipped spec's model, one local Kubernetes API per
 * environment (namespaces, the sample service's Deployment and the SealedSecret placeholders exactly as the
 * Kubernetes emitter writes them), a local Linode API (the spec's buckets and databases), a local Slack
 * (users with profile emails, the approver group), a real PGlite store and a clock the test moves.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SealedSecret } from '@kubernetes-models/sealed-secrets/bitnami.com/v1alpha1/SealedSecret';
import { type Bot, createBot } from '../../src/bot/app.js';
import { createApproverDirectory } from '../../src/bot/approvers.js';
import { createAuditor } from '../../src/bot/audit.js';
import type { BotDeps } from '../../src/bot/deps.js';
import type { Log } from '../../src/bot/log.js';
import { createMetrics } from '../../src/bot/metrics.js';
import type { BotRunner } from '../../src/bot/runner.js';
import { Tasks } from '../../src/bot/tasks.js';
import { BOT_NAMESPACE, BOT_SERVICE_ACCOUNT } from '../../src/compiler/emitters/kubernetes/platform.js';
import { sealedSecrets } from '../../src/compiler/emitters/kubernetes/sealed-secrets.js';
import type { Model } from '../../src/compiler/model.js';
import type { Integrations } from '../../src/integrations/deps.js';
import { boundKubernetes } from '../../src/integrations/kube-token.js';
import type { KubernetesApi } from '../../src/integrations/kubernetes.js';
import { createLinodeApi } from '../../src/integrations/linode.js';
import { registerStateMetrics } from '../../src/rotation/bot-metrics.js';
import type { Store } from '../../src/store/types.js';
import { type FakeKubernetes, startFakeKubernetes } from '../support/kubernetes-api.js';
import { seedBotRbac } from '../support/kubernetes-bot-rbac.js';
import { type FakeLinode, startFakeLinode } from '../support/linode-api.js';
import { defaultModel } from '../support/model.js';
import { FakeSlack } from '../support/slack/fake-slack.js';
import { SlackUser } from '../support/slack/user.js';
import { openTestStore } from '../support/store.js';

export const USERS = {
  alice: 'U0ALICE',
  bob: 'U0BOB',
  carol: 'U0CAROL',
  mallory: 'U0MALLORY',
} as const;
export const LEADS_GROUP = 'S0LEADS01';

export interface World {
  model: Model;
  clusters: Record<string, FakeKubernetes>;
  linode: FakeLinode;
  slack: FakeSlack;
  store: Store;
  storeDir: string;
  clock: { now: Date };
  integrations: Integrations;
  /** Reopens the store on the same directory (a bot restart). */
  reopenStore(): Promise<Store>;
  close(): Promise<void>;
}

export async function startWorld(envs: string[] = ['production', 'staging']): Promise<World> {
  const model = await defaultModel();
  const clusters: Record<string, FakeKubernetes> = {};
  for (const name of envs) {
    const env = model.environments.find((e) => e.name === name)!;
    const k = await startFakeKubernetes();
    // What the compiler generates for the bot, so the bot can connect as envc-bot (TokenRequest).
    await seedBotRbac(k, model, name);
    for (const ns of env.namespaces)
      await k.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.name } });
    for (const s of env.services) {
      await k.seed({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: s.name, namespace: s.namespace },
        spec: {
          replicas: s.replicas,
          selector: { matchLabels: { 'app.kubernetes.io/name': s.name } },
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': s.name } },
            spec: { containers: [{ name: s.name, image: s.image }] },
          },
        },
      });
    }
    // The placeholders ArgoCD syncs from generated/: names, scope and metadata, encryptedData empty.
    for (const m of sealedSecrets(model, env, { SealedSecret: SealedSecret as never }))
      await k.seed(m.object as never);
    clusters[name] = k;
  }
  const linode = await startFakeLinode();
  for (const e of model.environments) {
    for (const s of e.secrets) if (s.bucket) linode.addBucket(e.region, s.bucket);
    if (e.dataServices.postgres)
      linode.addDatabase({ label: e.dataServices.postgres.label, region: e.region });
  }
  const slack = await FakeSlack.start({
    users: {
      [USERS.alice]: { name: 'alice', email: 'alice@acme.example' },
      [USERS.bob]: { name: 'bob', email: 'bob@acme.example' },
      [USERS.carol]: { name: 'carol', email: 'carol@acme.example' },
      [USERS.mallory]: { name: 'mallory', email: 'mallory@evil.example' },
    },
    usergroups: { [LEADS_GROUP]: [USERS.bob, USERS.carol] },
  });
  const opened = await openTestStore();
  let store = opened.store;
  const linodeApi = createLinodeApi({ token: linode.token, apiUrl: linode.url });
  const kubes = new Map<string, Promise<KubernetesApi>>();
  const integrations: Integrations = {
    linode: () => linodeApi,
    kube: (env) => {
      const k = clusters[env];
      if (!k) return Promise.reject(new Error(`no cluster for ${env} in this test`));
      let c = kubes.get(env);
      if (!c) {
        // As the bot runs: a short-lived envc-bot token (TokenRequest), limited to the generated RBAC.
        c = boundKubernetes(k.kubeconfig(`acme-${env}`), {
          namespace: BOT_NAMESPACE,
          serviceAccount: BOT_SERVICE_ACCOUNT,
        });
        kubes.set(env, c);
      }
      return c;
    },
    sealedSecrets: { namespace: 'sealed-secrets', service: 'sealed-secrets-controller' },
  };
  const world: World = {
    model,
    clusters,
    linode,
    slack,
    get store() {
      return store;
    },
    storeDir: opened.dir,
    clock: { now: new Date('2026-11-26T09:00:00Z') },
    integrations,
    async reopenStore() {
      await store.close();
      const { openStore } = await import('../../src/store/index.js');
      store = await openStore(opened.dir);
      return store;
    },
    async close() {
      await store.close().catch(() => {});
      await Promise.all([...Object.values(clusters).map((k) => k.close()), linode.close(), slack.close()]);
    },
  };
  return world;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every string in `haystacks` that contains one of `secrets` (for the "no secret leaks" scans). */
export function leaks(secrets: string[], haystacks: Array<{ where: string; text: string }>): string[] {
  const out: string[] = [];
  for (const s of secrets.filter((x) => x.length >= 8)) {
    for (const h of haystacks)
      if (h.text.includes(s)) out.push(`${h.where} contains a secret value (${s.slice(0, 3)}…)`);
  }
  return out;
}

const noRunner: BotRunner = {
  plan: async (env) => ({ kind: 'failed', env, message: 'not in this test' }),
  drift: async (env) => ({ kind: 'failed', env, message: 'not in this test' }),
  apply: async (env) => ({ kind: 'failed', env, message: 'not in this test' }),
};

/**
 * The real Bolt app (HTTP receiver, request signing) on the world's store, Slack, clusters and clock, with
 * the /metrics gauges `envc bot` registers; no scheduler (tests run jobs themselves, at chosen times).
 */
export async function startTestBot(
  w: World,
  log: Log,
  signingSecret: string,
): Promise<{ bot: Bot; user: SlackUser }> {
  const metrics = await createMetrics({ defaultMetrics: false });
  await registerStateMetrics(metrics.registry, { store: w.store, model: w.model, now: () => w.clock.now });
  let client: BotDeps['slack'] | undefined;
  const base = {
    store: w.store,
    model: w.model,
    runner: noRunner,
    log,
    metrics,
    audit: createAuditor(w.store, log, () => w.clock.now),
    approvers: createApproverDirectory({
      lister: { usersOf: async (g) => (await client!.usergroups.users.list({ usergroup: g })).users ?? [] },
      handles: { 'platform-leads': LEADS_GROUP, 'platform-oncall': LEADS_GROUP },
      log,
    }),
    now: () => w.clock.now,
    tasks: new Tasks(log),
    channel: w.model.slack.channel,
    botActor: 'envc-bot',
    // Read by src/integrations/bot.ts; `envc bot` builds the same from its environment.
    integrations: w.integrations,
  };
  const bot = await createBot(
    { botToken: w.slack.botToken, signingSecret, apiUrl: w.slack.apiUrl, port: 0, host: '127.0.0.1' },
    base,
  );
  client = bot.deps.slack;
  await bot.start({ jobs: false });
  const user = new SlackUser(w.slack, {
    kind: 'http',
    url: `http://127.0.0.1:${bot.port}/slack/events`,
    secret: signingSecret,
  });
  return { bot, user };
}
