import { describe, expect, it } from 'vitest';
import { defaultModel } from '../../test/support/model.js';
import { apiServerFromKubeconfig, healthPath, parseTargetOverrides, resolveTargets } from './targets.js';

const kubeconfig = (
  server: string,
  ca = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmZha2UKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=',
) => `apiVersion: v1
kind: Config
current-context: lke-ctx
clusters:
  - name: other
    cluster: { server: https://wrong.example:443 }
  - name: lke123
    cluster:
      server: ${server}/
      certificate-authority-data: ${ca}
contexts:
  - name: lke-ctx
    context: { cluster: lke123, user: lke123-admin }
users:
  - name: lke123-admin
    user: { token: not-read-by-the-probe }
`;

describe('parseTargetOverrides', () => {
  it('reads env and env/service overrides, comma-separated or repeated, without trailing slashes', () => {
    const { overrides, errors } = parseTargetOverrides([
      'staging=http://127.0.0.1:1/',
      'staging/sample-service=http://127.0.0.1:2,production=https://p.example',
    ]);
    expect(errors).toEqual([]);
    expect(Object.fromEntries(overrides)).toEqual({
      staging: 'http://127.0.0.1:1',
      'staging/sample-service': 'http://127.0.0.1:2',
      production: 'https://p.example',
    });
  });

  it('rejects malformed entries with what was expected', () => {
    expect(parseTargetOverrides(['staging:http://x']).errors).toEqual([
      'malformed target "staging:http://x": expected <env>=<url> or <env>/<service>=<url>',
    ]);
    expect(parseTargetOverrides(['staging=ftp://x']).errors).toHaveLength(1);
  });
});

describe('apiServerFromKubeconfig', () => {
  it("takes the current context's cluster server and decodes its CA", () => {
    expect(apiServerFromKubeconfig(kubeconfig('https://abc.us-ord-1.linodelke.net:443'))).toEqual({
      url: 'https://abc.us-ord-1.linodelke.net:443',
      ca: '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n',
    });
  });

  it('returns undefined for an empty or cluster-less file', () => {
    expect(apiServerFromKubeconfig('')).toBeUndefined();
    expect(apiServerFromKubeconfig('apiVersion: v1\nkind: Config\n')).toBeUndefined();
  });
});

describe('resolveTargets', () => {
  it('precedence for the control plane: --target, then ENVC_API_SERVER_<ENV>, then the kubeconfig', async () => {
    const model = await defaultModel();
    const staging = model.environments.find((e) => e.name === 'staging')!;
    const read = async () => kubeconfig('https://from-kubeconfig.example');
    const cp = async (env: NodeJS.ProcessEnv, overrides: Record<string, string>) =>
      (
        await resolveTargets(staging, {
          env,
          overrides: new Map(Object.entries(overrides)),
          readKubeconfig: read,
        })
      ).targets[0];
    expect((await cp({}, {}))!).toMatchObject({
      target: 'control-plane',
      url: 'https://from-kubeconfig.example/readyz',
    });
    expect((await cp({}, {}))!.ca).toContain('BEGIN CERTIFICATE');
    expect((await cp({ ENVC_API_SERVER_STAGING: 'https://var.example/' }, {}))!.url).toBe(
      'https://var.example/readyz',
    );
    expect(
      (await cp({ ENVC_API_SERVER_STAGING: 'https://var.example' }, { staging: 'http://127.0.0.1:9' }))!.url,
    ).toBe('http://127.0.0.1:9/readyz');
  });

  it('services are probed at their ingress host and health path; overrides replace the base URL', async () => {
    const model = await defaultModel();
    const production = model.environments.find((e) => e.name === 'production')!;
    const svc = production.services.find((s) => s.name === 'sample-service')!;
    const noKube = async () => {
      throw new Error('no kubeconfig');
    };
    const plain = await resolveTargets(production, { env: {}, overrides: new Map(), readKubeconfig: noKube });
    expect(plain.targets).toEqual([
      {
        env: 'production',
        target: 'service/sample-service',
        url: `https://${svc.ingress!.host}${svc.health}`,
      },
    ]);
    expect(plain.skipped).toEqual([
      {
        env: 'production',
        target: 'control-plane',
        reason:
          'no API server URL: set ENVC_API_SERVER_PRODUCTION or ENVC_KUBECONFIG_PRODUCTION, or pass --target production=<url>',
      },
    ]);
    const over = await resolveTargets(production, {
      env: {},
      overrides: new Map([['production/sample-service', 'http://127.0.0.1:7']]),
      readKubeconfig: noKube,
    });
    expect(over.targets[0]!.url).toBe('http://127.0.0.1:7/healthz');
  });

  it('a service without ingress is skipped with the reason', async () => {
    const model = await defaultModel();
    const dev = structuredClone(model.environments.find((e) => e.name === 'development')!);
    delete dev.services[0]!.ingress;
    const r = await resolveTargets(dev, {
      env: { ENVC_API_SERVER_DEVELOPMENT: 'http://127.0.0.1:5' },
      overrides: new Map(),
      readKubeconfig: async () => '',
    });
    expect(r.targets.map((t) => t.target)).toEqual(['control-plane']);
    expect(r.skipped).toEqual([
      {
        env: 'development',
        target: 'service/sample-service',
        reason: 'no ingress: not reachable from outside the cluster',
      },
    ]);
  });
});

describe('healthPath', () => {
  it('joins the ingress prefix and the health path', () => {
    expect(healthPath('/', '/healthz')).toBe('/healthz');
    expect(healthPath('/api/', '/healthz')).toBe('/api/healthz');
  });
});
