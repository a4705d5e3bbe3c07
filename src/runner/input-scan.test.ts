import { describe, expect, it } from 'vitest';
import type { RunnerDeps } from './context.js';
import { credentialsIn } from './input-scan.js';
import { inputsEnv } from './phases.js';

describe('what crosses between roots holds no credential', () => {
  it('passes ids, endpoints and a CA certificate', () => {
    expect(
      credentialsIn({
        cluster_id: 123,
        api_server_url: 'https://abc.us-ord-1.linodelke.net:443',
        postgres: { host: 'db.example', port: 5432 },
        ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      }),
    ).toEqual([]);
  });

  it('finds credential fields, private keys, kubeconfigs and URL passwords, by path', () => {
    expect(
      credentialsIn({
        cluster_id: 1,
        token: 'eyJhbGciOi',
        db: { root_password: 'hunter2hunter2', url: 'postgres://admin:s3cret@db:5432/app' },
        kube: 'apiVersion: v1\nkind: Config\nclusters: []\nusers:\n- name: admin\n',
        keys: ['-----BEGIN RSA PRIVATE KEY-----\nMII'],
      }),
    ).toEqual([
      '$.token',
      '$.db.root_password',
      '$.db.url (a password in a URL)',
      '$.kube (a kubeconfig)',
      '$.keys[0] (a private key)',
    ]);
    // An empty credential field carries nothing.
    expect(credentialsIn({ token: '' })).toEqual([]);
  });

  it("another environment's cluster comes from the Linode API by label, never from its state", async () => {
    const deps = { lkeClusterId: async (label: string) => (label === 'acme-system' ? 42 : undefined) };
    const input = { environment: 'system', phase: 'cluster', lkeCluster: 'acme-system' };
    expect(await inputsEnv(deps as unknown as RunnerDeps, { argocd_cluster: input })).toEqual({
      ok: true,
      value: { TF_VAR_argocd_cluster: '{"cluster_id":42}' },
    });
    expect(
      await inputsEnv(deps as unknown as RunnerDeps, {
        argocd_cluster: { ...input, lkeCluster: 'acme-nope' },
      }),
    ).toEqual({
      ok: false,
      message:
        'no LKE cluster labelled "acme-nope" (input argocd_cluster): apply system first (envc apply --env system)',
    });
    expect(await inputsEnv({} as RunnerDeps, { argocd_cluster: input })).toMatchObject({
      ok: false,
      message: expect.stringContaining('set LINODE_TOKEN'),
    });
  });
});
