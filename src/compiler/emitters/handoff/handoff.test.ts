import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { defaultModel, defaultSpecObject, modelFromSpec } from '../../../../test/support/model.js';
import type { Model } from '../../model.js';
import { kubePrometheusStack } from '../helm/kube-prometheus-stack.js';
import { redisValues } from '../helm/redis.js';
import { namespaces } from '../kubernetes/namespaces.js';
import { networkPolicies } from '../kubernetes/network-policies.js';
import { redisEnv } from '../kubernetes/services.js';
import { handoffEmitter } from './index.js';
import type { HandoffSheet } from './sheet.js';

const schema = JSON.parse(
  readFileSync(new URL('../../../../schemas/handoff.schema.json', import.meta.url), 'utf8'),
);

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return ajv.compile(schema);
}

async function emit(model: Model) {
  const r = await handoffEmitter.emit(model, { envcVersion: '0.0.0-test' });
  expect(r.diagnostics).toEqual([]);
  return r.files;
}

const sheets = (files: Array<{ path: string; content: string }>) =>
  Object.fromEntries(
    files.filter((f) => f.path.endsWith('.json')).map((f) => [f.path, JSON.parse(f.content) as HandoffSheet]),
  );

/** The default spec plus a second team whose API accepts traffic from team-a (the allow-from override). */
async function modelWithOverride(): Promise<Model> {
  const spec = defaultSpecObject() as { services: Array<Record<string, unknown>> };
  spec.services.push({
    name: 'billing-api',
    owner: 'team-b',
    image: 'ghcr.io/acme/billing-api:2.0.0',
    port: 8080,
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
    environments: ['staging', 'production'],
    dataServices: ['postgres'],
    allowFrom: ['team-a/sample-service'],
  });
  return modelFromSpec(spec);
}

describe('handoff emitter', () => {
  it('writes handoff/<env>.json and handoff/<env>.md for every environment', async () => {
    const model = await defaultModel();
    const files = await emit(model);
    expect(files.map((f) => f.path).sort()).toEqual(
      model.environments.flatMap((e) => [`handoff/${e.name}.json`, `handoff/${e.name}.md`]).sort(),
    );
  });

  it('every emitted sheet validates against schemas/handoff.schema.json', async () => {
    const validate = validator();
    for (const model of [await defaultModel(), await modelWithOverride()]) {
      for (const [path, sheet] of Object.entries(sheets(await emit(model)))) {
        const ok = validate(sheet);
        expect(ok ? [] : validate.errors, path).toEqual([]);
      }
    }
  });

  it('the schema is strict: a secret value or an unknown field is rejected', async () => {
    const validate = validator();
    const sheet = sheets(await emit(await defaultModel()))['handoff/production.json']!;
    const withPassword = structuredClone(sheet) as unknown as {
      dataServices: Array<{ endpoint: Record<string, unknown> }>;
    };
    withPassword.dataServices[0]!.endpoint.password = 'hunter2';
    expect(validate(withPassword)).toBe(false);
    const withHost = structuredClone(sheet) as unknown as {
      dataServices: Array<{ endpoint: { secretRef: Record<string, unknown> } }>;
    };
    withHost.dataServices[0]!.endpoint.secretRef.value = 'postgres://u:p@h/db';
    expect(validate(withHost)).toBe(false);
    expect(validate({ ...sheet, apiVersion: 'v2' })).toBe(false);
    // An endpoint says where, one way or the other: not empty, not a port without a host.
    const redisAt = (endpoint: object) => {
      const x = structuredClone(sheet) as unknown as {
        dataServices: Array<{ name: string; endpoint: object }>;
      };
      x.dataServices.find((d) => d.name === 'redis')!.endpoint = endpoint;
      return validate(x);
    };
    expect(redisAt({ host: 'redis.data.svc', port: 26379, sentinel: { masterSet: 'mymaster' } })).toBe(true);
    expect(redisAt({})).toBe(false);
    expect(redisAt({ port: 6379 })).toBe(false);
    expect(redisAt({ sentinel: { masterSet: 'mymaster' } })).toBe(false);
    expect(redisAt({ host: 'redis.data.svc', port: 6379, password: 'hunter2' })).toBe(false);
  });

  it("production's sheet: namespaces, limits, hosts, data services as Secret references, dashboards, access", async () => {
    const model = await defaultModel();
    const s = sheets(await emit(model))['handoff/production.json']!;
    const env = model.environments.find((e) => e.name === 'production')!;
    expect(s.environment).toMatchObject({
      name: 'production',
      tier: 'production',
      highAvailability: true,
      protected: true,
    });
    expect(s.namespaces.map((n) => n.name)).toEqual(env.namespaces.map((n) => n.name));
    expect(s.namespaces.find((n) => n.name === 'team-a')).toMatchObject({
      kind: 'app',
      services: ['sample-service'],
      podSecurity: 'restricted',
    });
    expect(s.limits).toMatchObject({
      services: 30,
      perService: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
      total: { requests: { cpu: '15', memory: '30Gi' }, limits: { cpu: '30', memory: '60Gi' } },
    });
    expect(s.ingress).toEqual({
      domain: 'acme.example',
      hosts: [
        {
          service: 'sample-service',
          namespace: 'team-a',
          host: 'sample.acme.example',
          path: '/',
          url: 'https://sample.acme.example/',
        },
      ],
    });
    const pg = s.dataServices.find((d) => d.name === 'postgres')!;
    expect(pg).toMatchObject({
      engine: 'postgresql',
      nodes: 3,
      managed: true,
      consumers: ['sample-service'],
    });
    // Where the database is: the connection Secret Terraform writes; the login: the rotated SealedSecret.
    expect(pg.endpoint).toEqual({
      secretRef: { name: 'postgres-connection', namespaces: ['team-a'], keys: ['host', 'port', 'ca.crt'] },
    });
    expect(pg.credentials).toEqual({
      secretRef: { name: 'app-db', namespaces: ['team-a'], keys: ['password', 'username'] },
    });
    expect(pg.secretKeys).toEqual({
      'ca.crt': 'postgres-connection',
      host: 'postgres-connection',
      password: 'app-db',
      port: 'postgres-connection',
      username: 'app-db',
    });
    // The credentials Secret's keys are exactly what the SealedSecret announces and rotation seals.
    expect(pg.credentials!.secretRef.keys).toEqual(
      s.secrets.find((x) => x.name === 'app-db')!.secretRef.keys,
    );
    // Redis: the address envc decides (three replicas: Sentinel's), the password in the Secret envc rotates,
    // sealed for Redis' own namespace and for the consumers'.
    const redis = s.dataServices.find((d) => d.name === 'redis')!;
    expect(redis).toMatchObject({ engine: 'redis', nodes: 3, managed: false, consumers: ['sample-service'] });
    expect(redis.endpoint).toEqual({
      host: 'redis.data.svc',
      port: 26379,
      sentinel: { masterSet: 'mymaster' },
    });
    expect(redis.credentials).toEqual({
      secretRef: { name: 'redis-credentials', namespaces: ['data', 'team-a'], keys: ['password'] },
    });
    expect(redis.secretKeys).toEqual({ password: 'redis-credentials' });
    expect(s.secrets.map((x) => x.name)).toEqual([
      'app-db',
      'objstore-key',
      'redis-credentials',
      'session-key',
    ]);
    expect(s.secrets.find((x) => x.name === 'redis-credentials')).toMatchObject({
      source: 'generated',
      rotateEvery: '90d',
      usedBy: ['sample-service'],
      secretRef: { keys: ['password'] },
    });
    // Pod security as enforced: Redis' namespace is restricted, the node agents' privileged.
    expect(Object.fromEntries(s.namespaces.map((n) => [n.name, n.podSecurity]))).toMatchObject({
      data: 'restricted',
      monitoring: 'privileged',
      'ingress-nginx': 'baseline',
      'team-a': 'restricted',
    });
    expect(s.secrets.find((x) => x.name === 'app-db')).not.toHaveProperty('gracePeriod');
    expect(s.secrets.find((x) => x.name === 'objstore-key')).toMatchObject({
      gracePeriod: '1d',
      rotateEvery: '30d',
    });
    // Each environment's own Grafana; access overview in the Grafana of the environment running the bot.
    expect(s.observability.dashboards).toEqual([
      { title: 'Environment health', url: 'https://grafana.acme.example/d/envc-environment-health' },
      { title: 'Access overview', url: 'https://grafana.platform.acme.example/d/envc-access-overview' },
      { title: 'Availability SLO', url: 'https://grafana.acme.example/d/envc-slo-availability' },
    ]);
    // Secret keys are the ones the SealedSecret holds (the Kubernetes emitter's list).
    expect(s.secrets.find((x) => x.name === 'objstore-key')!.secretRef.keys).toEqual([
      'access_key',
      'bucket',
      'endpoint',
      'secret_key',
    ]);
    expect(s.access.policies.map((p) => p.name)).toEqual(['view', 'prod-edit', 'break-glass']);
    expect(s.access.policies.find((p) => p.name === 'prod-edit')).toMatchObject({
      minApprovals: 2,
      request: '/infra access production prod-edit 2h "<reason>"',
    });
    expect(s.deployment).toMatchObject({
      argocd: { autoSync: false },
      approvals: { required: true, approvers: ['@platform-leads'] },
    });
    expect(s.slo).toMatchObject({ availability: 99.5, errorBudget: 0.005, period: '30d' });
    expect(s.networkPolicy.allowFrom).toEqual([]);
  });

  it('lists every allow-from override in use, in the environments where it applies', async () => {
    const all = sheets(await emit(await modelWithOverride()));
    for (const env of ['staging', 'production']) {
      expect(all[`handoff/${env}.json`]!.networkPolicy.allowFrom).toEqual([
        { service: 'billing-api', namespace: 'team-b', from: ['team-a/sample-service'] },
      ]);
    }
    expect(all['handoff/development.json']!.networkPolicy.allowFrom).toEqual([]);
    const md = (await emit(await modelWithOverride())).find((f) => f.path === 'handoff/staging.md')!.content;
    expect(md).toContain('| `team-b/billing-api` | `team-a/sample-service` |');
  });

  it('without a database-credentials secret, lists only the connection Secret and says so', async () => {
    const files = await emit(await defaultModel());
    const s = sheets(files)['handoff/development.json']!;
    const pg = s.dataServices.find((d) => d.name === 'postgres')!;
    expect(pg.endpoint.secretRef!.name).toBe('postgres-connection');
    expect(pg).not.toHaveProperty('credentials');
    expect(pg.secretKeys).toEqual({
      'ca.crt': 'postgres-connection',
      host: 'postgres-connection',
      port: 'postgres-connection',
    });
    const md = files.find((f) => f.path === 'handoff/development.md')!.content;
    expect(md).toContain('PostgreSQL credentials: none declared for `development`');
  });

  it('gives the Redis address the release really has: redis for one replica, Sentinel from two', async () => {
    const model = await defaultModel();
    const all = sheets(await emit(model));
    const want: Record<string, object> = {
      development: { host: 'redis.data.svc', port: 6379 },
      staging: { host: 'redis.data.svc', port: 26379, sentinel: { masterSet: 'mymaster' } },
      production: { host: 'redis.data.svc', port: 26379, sentinel: { masterSet: 'mymaster' } },
    };
    for (const env of model.environments) {
      const redis = all[`handoff/${env.name}.json`]!.dataServices.find((d) => d.name === 'redis');
      if (!env.dataServices.redis) {
        expect(redis, env.name).toBeUndefined();
        continue;
      }
      expect(redis!.endpoint, env.name).toEqual(want[env.name]);
      // redis-ha names its Service after fullnameOverride, one for every mode: Redis on 6379, Sentinel on 26379.
      const v = redisValues(model, env) as {
        fullnameOverride: string;
        replicas: number;
        redis: { masterGroupName: string };
      };
      expect(redis!.endpoint.host).toBe(`${v.fullnameOverride}.data.svc`);
      expect(v.replicas > 1).toBe(redis!.endpoint.sentinel !== undefined);
      if (redis!.endpoint.sentinel) expect(v.redis.masterGroupName).toBe(redis!.endpoint.sentinel.masterSet);
      // And the pods that use Redis are told the same address, and where the password file is.
      const sample = env.services.find((x) => x.name === 'sample-service')!;
      expect(redisEnv(env, sample)).toEqual({
        REDIS_HOST: redis!.endpoint.host,
        REDIS_PORT: String(redis!.endpoint.port),
        ...(redis!.endpoint.sentinel ? { REDIS_SENTINEL_MASTER: 'mymaster' } : {}),
        REDIS_PASSWORD_FILE: '/var/run/secrets/envc/redis-credentials/password',
      });
    }
    const md = (await emit(model)).find((f) => f.path === 'handoff/development.md')!.content;
    expect(md).toContain('redis 7.4 listens at `redis.data.svc:6379`.');
    expect(md).toContain(
      '| redis | redis 7.4 (in cluster) | 1 | `password` | `redis-credentials` | `data`, `team-a` |',
    );
  });

  it('lists the allow-from sources the NetworkPolicies apply in each environment, and the ones dropped there', async () => {
    const spec = defaultSpecObject() as { services: Array<Record<string, unknown>> };
    spec.services.push(
      {
        name: 'reports',
        owner: 'team-c',
        image: 'ghcr.io/acme/reports:1.0.0',
        port: 8080,
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
        environments: ['production'],
      },
      {
        name: 'billing-api',
        owner: 'team-b',
        image: 'ghcr.io/acme/billing-api:2.0.0',
        port: 8080,
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
        environments: ['development', 'production'],
        allowFrom: ['team-a/sample-service', 'team-c/reports'],
      },
    );
    const model = await modelFromSpec(spec);
    const all = sheets(await emit(model));
    expect(all['handoff/development.json']!.networkPolicy.allowFrom).toEqual([
      {
        service: 'billing-api',
        namespace: 'team-b',
        from: ['team-a/sample-service'],
        dropped: ['team-c/reports'],
      },
    ]);
    expect(all['handoff/production.json']!.networkPolicy.allowFrom).toEqual([
      { service: 'billing-api', namespace: 'team-b', from: ['team-a/sample-service', 'team-c/reports'] },
    ]);
    // The sheet says what the emitted policies do: the allow-from annotation of the service's own policy.
    for (const env of model.environments) {
      const sheet = all[`handoff/${env.name}.json`]!;
      for (const svc of sheet.services) {
        const own = networkPolicies(env).find(
          (m) =>
            m.object.metadata?.name === `allow-${svc.name}` && m.object.metadata?.namespace === svc.namespace,
        )!;
        const annotation = own.object.metadata?.annotations?.['envc.io/allow-from'];
        const applied = annotation ? annotation.split(',') : [];
        expect(svc.allowFrom, `${env.name}/${svc.name}`).toEqual(applied);
        const entry = sheet.networkPolicy.allowFrom.find((a) => a.service === svc.name);
        expect(entry?.from ?? [], `${env.name}/${svc.name}`).toEqual(applied);
      }
    }
    const md = (await emit(model)).find((f) => f.path === 'handoff/development.md')!.content;
    expect(md).toContain('| `team-b/billing-api` | `team-a/sample-service` | `team-c/reports` |');
    expect(validator()(all['handoff/development.json'])).toBe(true);
  });

  it("lists every namespace the Kubernetes emitter creates, the bot's envc-bot included, in every environment", async () => {
    const model = await defaultModel();
    const all = sheets(await emit(model));
    for (const env of model.environments) {
      const names = all[`handoff/${env.name}.json`]!.namespaces.map((n) => n.name);
      expect(names, env.name).toContain('envc-bot');
      const emitted = namespaces(env)
        .filter((m) => m.object.kind === 'Namespace')
        .map((m) => m.object.metadata!.name);
      expect([...names].sort(), env.name).toEqual([...emitted].sort());
    }
  });

  it('links dashboards to the Grafana each environment runs (its helm values ingress host)', async () => {
    const model = await defaultModel();
    const all = sheets(await emit(model));
    const bot = model.environments.find((e) => e.hosts.includes('bot'))!;
    const grafanaHost = (env: (typeof model.environments)[number]) =>
      (kubePrometheusStack(model, env) as { grafana: { ingress: { hosts: string[] } } }).grafana.ingress
        .hosts[0];
    for (const env of model.environments) {
      const links = all[`handoff/${env.name}.json`]!.observability.dashboards.map((d) => new URL(d.url));
      expect(links.map((u) => u.pathname.split('/').pop()).sort()).toEqual([
        'envc-access-overview',
        'envc-environment-health',
        'envc-slo-availability',
      ]);
      for (const u of links) {
        // Access overview is shipped only to the bot's environment; the rest to every environment.
        const where = u.pathname.endsWith('envc-access-overview') ? bot : env;
        expect(u.host, `${env.name}: ${u.href}`).toBe(grafanaHost(where));
      }
    }
  });

  it('is deterministic and maps every file back to the spec', async () => {
    const a = await emit(await defaultModel());
    const b = await emit(await defaultModel());
    expect(a.map((f) => f.content)).toEqual(b.map((f) => f.content));
    const prod = a.find((f) => f.path === 'handoff/production.json')!;
    const resources = prod.sources!.map((s) => s.resource);
    expect(resources).toEqual(
      expect.arrayContaining([
        'environment',
        'limits',
        'service/sample-service',
        'dataService/postgres',
        'secret/app-db',
        'accessPolicy/prod-edit',
      ]),
    );
    const svc = prod.sources!.find((s) => s.resource === 'service/sample-service')!;
    expect(svc.origin).toMatchObject({ file: 'environments.yaml' });
    expect(svc.origin.line).toBeGreaterThan(1);
  });

  it('the Markdown sheet says the same things as the JSON', async () => {
    const files = await emit(await defaultModel());
    const md = files.find((f) => f.path === 'handoff/production.md')!.content;
    expect(md.startsWith('<!-- generated by envc')).toBe(true);
    expect(md).toContain('# production — handoff sheet');
    expect(md).toContain(
      '| `sample.acme.example` | `team-a/sample-service` | https://sample.acme.example/ |',
    );
    expect(md).toContain('`app-db`');
    expect(md).toContain('`/infra access production prod-edit 2h "<reason>"`');
    expect(md).toContain(
      'redis 7.4 runs 3 replicas with Sentinel: ask the Sentinel at `redis.data.svc:26379` for the primary of `mymaster`',
    );
    expect(md).toContain(
      '| `redis-credentials` | generated | 90d | until Redis restarts | `password` | `data`, `team-a` | `sample-service` |',
    );
    expect(md).not.toMatch(/password\s*[:=]/i);
  });
});
