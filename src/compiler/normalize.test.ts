import { describe, expect, it } from 'vitest';
import { defaultModel, defaultSpecText, TEST_TODAY } from '../../test/support/model.js';
import { buildModelFromText } from './pipeline.js';

function build(text: string) {
  return buildModelFromText(text, 'environments.yaml', { today: TEST_TODAY });
}
function lineOf(text: string, snippet: string): number {
  const i = text.indexOf(snippet);
  expect(i).toBeGreaterThanOrEqual(0);
  return text.slice(0, i).split('\n').length;
}

describe('normalize', () => {
  it('resolves per-environment overrides, placeholders and defaults', async () => {
    const m = await defaultModel();
    const env = (n: string) => m.environments.find((e) => e.name === n)!;
    const svc = (n: string) => env(n).services.find((s) => s.name === 'sample-service')!;
    expect(svc('development').replicas).toBe(1);
    expect(svc('staging').replicas).toBe(2);
    expect(svc('production').replicas).toBe(3);
    expect(svc('staging').ingress!.host).toBe('sample.staging.acme.example');
    expect(svc('production').ingress!.host).toBe('sample.acme.example');
    expect(svc('production').autoscaling).toEqual({ min: 3, max: 10, targetCPUUtilization: 70 });
    expect(svc('staging').autoscaling).toBeUndefined();
    expect(env('system').services).toEqual([]);
    expect(env('production').region).toBe('us-ord');
    expect(env('production').kubernetesVersion).toBe('1.36');
    expect(env('production').protected).toBe(true);
    expect(env('staging').protected).toBe(false);
    expect(env('production').argocd.autoSync).toBe(false);
    expect(env('development').network.firewall.inboundPolicy).toBe('DROP');
    expect(env('production').tags).toEqual([
      'cost-center:platform',
      'env:production',
      'managed-by:envc',
      'owner:platform-team',
      'platform:acme',
    ]);
  });

  it('sizes quotas as services × per-service budget', async () => {
    const m = await defaultModel();
    const dev = m.environments.find((e) => e.name === 'development')!;
    expect(dev.quotas.total.requests).toEqual({ cpuMillis: 30 * 250, memoryBytes: 30 * 512 * 1024 ** 2 });
    expect(dev.quotas.total.pods).toBe(300);
  });

  it('expands `all` to every application environment and resolves secret buckets', async () => {
    const m = await defaultModel();
    const objstore = m.secrets.find((s) => s.name === 'objstore-key')!;
    expect(objstore.environments).toEqual(['development', 'staging', 'production']);
    const prod = m.environments.find((e) => e.name === 'production')!;
    expect(prod.secrets.find((s) => s.name === 'objstore-key')).toMatchObject({
      bucket: 'acme-production-assets',
      namespaces: ['team-a'],
      gracePeriodSeconds: 86_400,
    });
    expect(prod.secrets.find((s) => s.name === 'app-db')!.gracePeriodSeconds).toBe(0);
  });

  it('records origins that point at the spec lines', async () => {
    const text = defaultSpecText();
    const m = await defaultModel();
    const prod = m.environments.find((e) => e.name === 'production')!;
    const gpu = prod.cluster.pools[1]!;
    expect(gpu.isGpu).toBe(true);
    expect(gpu.origin.path).toBe('environments.production.cluster.pools[1]');
    expect(gpu.origin.line).toBe(lineOf(text, '        - name: gpu'));
    expect(gpu.origin.column).toBe(11);
    expect(prod.origin).toMatchObject({
      path: 'environments.production',
      line: lineOf(text, '  production:\n'),
    });
  });

  it('reports bad references at the reference, with suggestions', () => {
    let text = defaultSpecText();
    text = text.replace(
      '    replicas: { default: 1, staging: 2, production: 3 }',
      '    replicas: { default: 1, staging: 2, prod: 3 }',
    );
    text = text.replace(
      '    environments: [production, system]\n    role: admin',
      '    environments: [produciton, system]\n    role: admin',
    );
    text = text.replace(
      '    secrets: [objstore-key, app-db, session-key]',
      '    secrets: [objstore-key, app-db, sesion-key]',
    );
    const r = build(text);
    expect(r.model).toBeUndefined();
    const byCode = Object.fromEntries(r.diagnostics.map((d) => [d.code, d]));
    expect(byCode.ENVC1202).toMatchObject({
      line: lineOf(text, 'prod: 3'),
      column: text.split('\n')[lineOf(text, 'prod: 3') - 1]!.indexOf('prod: 3') + 1,
    });
    expect(byCode.ENVC1202!.hint).toContain('did you mean "production"?');
    expect(byCode.ENVC1201).toMatchObject({ line: lineOf(text, '[produciton, system]') });
    expect(byCode.ENVC1201!.message).toBe(
      'access policy "break-glass" names unknown environment "produciton"',
    );
    expect(byCode.ENVC1204!.hint).toContain('did you mean "session-key"?');
  });

  it('reports duplicate names and a data service the environment lacks', () => {
    let text = defaultSpecText();
    text = text.replace('  - name: edit\n', '  - name: view\n');
    text = text.replace('      postgres: { type: g6-nanode-1, version: "16", nodes: 1 }\n', '');
    const codes = build(text).diagnostics.map((d) => d.code);
    expect(codes).toContain('ENVC1209');
    expect(codes).toContain('ENVC1211');
  });
});
