import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeKubernetes, startFakeKubernetes } from '../../test/support/kubernetes-api.js';
import { seedBotRbac } from '../../test/support/kubernetes-bot-rbac.js';
import { type FakeLinode, startFakeLinode } from '../../test/support/linode-api.js';
import { defaultModel } from '../../test/support/model.js';
import { cliActor, integrationsFromEnv } from './deps.js';
import { kubeconfigFor } from './kubernetes.js';

let k8s: FakeKubernetes;
let linode: FakeLinode;

beforeAll(async () => {
  k8s = await startFakeKubernetes();
  linode = await startFakeLinode();
});
afterAll(async () => {
  await k8s.close();
  await linode.close();
});

describe('kubeconfig per environment', () => {
  it('prefers ENVC_KUBECONFIG_<ENV>, then ENVC_KUBECONFIG_DIR, then the LKE kubeconfig from the Linode API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'envc-kc-'));
    writeFileSync(join(dir, 'staging.yaml'), 'from-dir');
    writeFileSync(join(dir, 'one.yaml'), 'from-var');
    expect(
      await kubeconfigFor('staging', {
        env: { ENVC_KUBECONFIG_STAGING: join(dir, 'one.yaml'), ENVC_KUBECONFIG_DIR: dir },
      }),
    ).toBe('from-var');
    expect(await kubeconfigFor('staging', { env: { ENVC_KUBECONFIG_DIR: dir } })).toBe('from-dir');
    await expect(kubeconfigFor('staging', { env: {} })).rejects.toThrow(
      /set ENVC_KUBECONFIG_STAGING, ENVC_KUBECONFIG_DIR or LINODE_TOKEN/,
    );
  });

  it('builds a working client from the LKE cluster found by its label', async () => {
    linode.addCluster({ label: 'acme-production', kubeconfig: k8s.kubeconfig('lke-production') });
    const model = await defaultModel();
    await seedBotRbac(k8s, model, 'production');
    const i = integrationsFromEnv({ LINODE_TOKEN: linode.token, LINODE_API_URL: linode.url }, model);
    const kube = await i.kube('production');
    expect(await kube.sealedSecretsCertificate(i.sealedSecrets)).toBe(k8s.sealing?.certificatePem);
    // It acts as envc-bot with a minted token (the LKE kubeconfig only asked for it).
    expect(k8s.requests.filter((r) => r.path.endsWith('/serviceaccounts/envc-bot/token'))).toHaveLength(1);
    expect(
      linode.requests.some(
        (r) => r.path.startsWith('/v4beta/lke/clusters/') && r.path.endsWith('/kubeconfig'),
      ),
    ).toBe(true);
    // The cluster of an environment is looked up by its spec label; an unknown one says so.
    await expect(i.kube('staging')).rejects.toThrow(/no LKE cluster labelled "acme-staging"/);
  });

  it('names the CLI actor from ENVC_ACTOR, the CI actor, or user@host', () => {
    expect(cliActor({ ENVC_ACTOR: 'alice@acme.example', USER: 'root' }, 'h')).toBe('alice@acme.example');
    expect(cliActor({ GITHUB_ACTOR: 'octo' }, 'h')).toBe('github:octo');
    expect(cliActor({ USER: 'bob' }, 'box')).toBe('bob@box');
  });
});
