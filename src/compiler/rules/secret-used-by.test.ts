import { describe, expect, it } from 'vitest';
import { defaultSpecObject, modelFromSpec } from '../../../test/support/model.js';
import { secretUsedBy as rule } from './secret-used-by.js';
import { TODAY, testModel } from './test-model.js';

const ctx = { today: TODAY };

describe('ENVC2019 secret-used-by', () => {
  it('passes the valid model', () => {
    expect(rule.check(testModel(), ctx)).toEqual([]);
  });
  it('reports an unknown service with a suggestion, at the secret', () => {
    const m = testModel();
    m.secrets[0]!.usedBy = ['sample-servce'];
    const f = rule.check(m, ctx);
    expect(f.map((x) => x.message)).toEqual([
      'secret "session-key" is used by unknown service "sample-servce"',
    ]);
    expect(f[0]?.hint).toBe('did you mean "sample-service"?');
    expect(f[0]?.origin.path).toBe('secrets[0]');
  });
  it('reports a secret in an environment where its service does not run', () => {
    const m = testModel();
    m.secrets[0]!.environments = ['development', 'production', 'system'];
    expect(rule.check(m, ctx).map((x) => x.message)).toEqual([
      'secret "session-key" is used by "sample-service", which does not run in "system"',
    ]);
  });
  it('for `environments: [all]` the hint lists where the service runs instead of "remove qa" (issue 13)', () => {
    const m = testModel();
    m.secrets[0]!.environments = ['development', 'production', 'system'];
    m.secrets[0]!.environmentsAll = true;
    const [f] = rule.check(m, ctx);
    expect(f?.hint).toBe(
      'the secret\'s `environments` is [all]; list where "sample-service" runs instead (environments: [development, production]), or deploy "sample-service" in "system"',
    );
    expect(f?.hint).not.toMatch(/^remove/);
  });
  it('leaves the Redis password envc declares alone: Redis runs where its users do not (it derives them per environment)', async () => {
    const spec = defaultSpecObject() as {
      services: Array<Record<string, unknown>>;
      environments: Record<string, Record<string, unknown>>;
    };
    // A Redis user that runs in development only, while staging and production run Redis too.
    spec.services.push({
      name: 'worker',
      owner: 'team-b',
      image: 'ghcr.io/acme/worker:1.0.0',
      port: 8080,
      environments: ['development'],
      dataServices: ['redis'],
    });
    const m = await modelFromSpec(spec);
    const redis = m.secrets.find((s) => s.name === 'redis-credentials')!;
    expect(redis).toMatchObject({ platform: true, environments: ['development', 'staging', 'production'] });
    expect(rule.check(m, ctx)).toEqual([]);
    expect(
      m.environments.find((e) => e.name === 'staging')!.secrets.find((s) => s.name === redis.name),
    ).toMatchObject({ namespaces: ['data', 'team-a'], usedBy: ['sample-service'] });
  });
});
