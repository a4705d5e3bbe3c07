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
import { sealedSecrets } from '../../src/compiler/emitters/kubernetes/sealed-secrets.js';
import type { Model } from '../../src/compiler/model.js';
import type { Integrations } from '../../src/integrations/deps.js';
import { kubernetesFromKubeconfig } from '../../src/integrations/kubernetes.js';
import { createLinodeApi } from '../../src/integrations/linode.js';
import type { Store } from '../../src/store/types.js';
import { type FakeKubernetes, startFakeKubernetes } from '../support/kubernetes-api.js';
import { type FakeLinode, startFakeLinode } from '../support/linode-api.js';
import { defaultModel } from '../support/model.js';
import { FakeSlack } from '../support/slack/fake-slack.js';
import { openTestPglite } from '../support/store.js';

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
  const opened = await openTestPglite();
  let store = opened.store;
  const linodeApi = createLinodeApi({ token: linode.token, apiUrl: linode.url });
  const kubes = new Map<string, ReturnType<typeof kubernetesFromKubeconfig>>();
  const integrations: Integrations = {
    linode: () => linodeApi,
    kube: (env) => {
      const k = clusters[env];
      if (!k) return Promise.reject(new Error(`no cluster for ${env} in this test`));
      let c = kubes.get(env);
      if (!c) {
        c = kubernetesFromKubeconfig(k.kubeconfig(`acme-${env}`));
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
      const { openPgliteStore } = await import('../../src/store/pglite.js');
      store = await openPgliteStore(opened.dir, { idleMs: 60_000 });
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
