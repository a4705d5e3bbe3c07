import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { handoffEmitter } from '../../src/compiler/emitters/handoff/index.js';
import {
  committedFiles,
  describeDiff,
  diffWithGenerated,
  updateGoldenIfAsked,
} from '../golden/generated-tree.js';
import { envc } from '../support/cli.js';
import { DEFAULT_SPEC_PATH, defaultModel } from '../support/model.js';
import { parseHcl } from '../support/tf-schema-check.js';

interface KubeObject {
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
}

const schema = JSON.parse(
  readFileSync(new URL('../../schemas/handoff.schema.json', import.meta.url), 'utf8'),
);

describe('handoff sheets: envc compile and envc handoff', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'envc-handoff-'));
    copyFileSync(DEFAULT_SPEC_PATH, join(dir, 'environments.yaml'));
    expect(envc(['compile'], { cwd: dir }).code).toBe(0);
  });

  it('compile writes a JSON sheet and a README per environment, each JSON valid against the schema', () => {
    const files = readdirSync(join(dir, 'generated', 'handoff')).sort();
    expect(files).toEqual([
      'development.json',
      'development.md',
      'production.json',
      'production.md',
      'staging.json',
      'staging.md',
      'system.json',
      'system.md',
    ]);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const validate = ajv.compile(schema);
    for (const f of files.filter((n) => n.endsWith('.json'))) {
      const ok = validate(JSON.parse(readFileSync(join(dir, 'generated', 'handoff', f), 'utf8')));
      expect(ok ? [] : validate.errors, f).toEqual([]);
    }
  });

  it('`envc handoff <env> --json` prints exactly the compiled sheet; the default is its Markdown', () => {
    for (const env of ['development', 'staging', 'production', 'system']) {
      const json = envc(['handoff', env, '--json'], { cwd: dir });
      expect(json.code).toBe(0);
      expect(json.stdout).toBe(readFileSync(join(dir, 'generated', 'handoff', `${env}.json`), 'utf8'));
      const md = envc(['handoff', env], { cwd: dir });
      expect(md.stdout).toBe(readFileSync(join(dir, 'generated', 'handoff', `${env}.md`), 'utf8'));
    }
  });

  it('the manifest maps the sheets back to the spec', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'generated', 'manifest.json'), 'utf8')) as {
      files: Record<string, unknown>;
    };
    expect(Object.keys(manifest.files)).toEqual(
      expect.arrayContaining(['handoff/production.json', 'handoff/production.md']),
    );
    expect(JSON.stringify(manifest.files['handoff/production.json'])).toContain('environments.production');
  });

  it('every Secret has exactly one writer, and the sheet names for each connection key the Secret that holds it', async () => {
    const gen = (...p: string[]) => join(dir, 'generated', ...p);
    // The connection Secret's keys, read from the HCL Terraform runs.
    const dataServicesTf = await parseHcl(
      'main.tf',
      readFileSync(gen('terraform', 'modules', 'app-data', 'main.tf'), 'utf8'),
    );
    const tfSecret = (
      dataServicesTf.resource as Record<string, Record<string, Array<{ data: Record<string, string> }>>>
    ).kubernetes_secret_v1!.postgres_connection![0]!;
    const tfKeys = Object.keys(tfSecret.data);
    expect(tfKeys.sort()).toEqual(['ca.crt', 'host', 'port']);

    for (const env of ['development', 'staging', 'production', 'system']) {
      /** `<namespace>/<name>` → who writes that Secret and which keys. */
      const writers = new Map<string, Array<{ writer: string; keys: string[] }>>();
      const add = (ns: string, name: string, writer: string, keys: string[]) =>
        writers.set(`${ns}/${name}`, [...(writers.get(`${ns}/${name}`) ?? []), { writer, keys }]);
      const tfvars = JSON.parse(
        readFileSync(gen('terraform', 'environments', env, 'platform', 'terraform.tfvars.json'), 'utf8'),
      );
      if (tfvars.postgres)
        for (const ns of tfvars.postgres.connection_secret.namespaces as string[])
          add(ns, tfvars.postgres.connection_secret.name, 'terraform', tfKeys);
      const objects = (file: string) =>
        parseAllDocuments(existsSync(file) ? readFileSync(file, 'utf8') : '')
          .map((d) => d.toJS() as KubeObject | null)
          .filter((o): o is KubeObject => o !== null);
      for (const o of objects(gen('kubernetes', env, 'sealed-secrets.yaml')))
        add(
          o.metadata.namespace!,
          o.metadata.name,
          'sealed-secret',
          o.metadata.annotations!['envc.io/keys']!.split(','),
        );
      for (const o of objects(gen('kubernetes', env, 'rbac.yaml')).filter((x) => x.kind === 'Secret'))
        add(o.metadata.namespace!, o.metadata.name, 'kubernetes', []);

      for (const [ref, ws] of writers)
        expect(
          ws.map((w) => w.writer),
          `${env}: ${ref}`,
        ).toHaveLength(1);

      // Every Secret a pod mounts has a writer in its namespace (a missing one keeps the pod from starting).
      const servicesDir = gen('kubernetes', env, 'services');
      const services = existsSync(servicesDir) ? readdirSync(servicesDir) : [];
      for (const svc of services) {
        const [deployment] = objects(join(servicesDir, svc, 'deployment.yaml'));
        const ns = deployment!.metadata.namespace!;
        const volumes = (
          deployment as unknown as {
            spec: { template: { spec: { volumes: Array<{ secret?: { secretName: string } }> } } };
          }
        ).spec.template.spec.volumes;
        for (const v of volumes) {
          if (!v.secret) continue;
          expect(
            writers.get(`${ns}/${v.secret.secretName}`),
            `${env}: ${svc} mounts ${v.secret.secretName}`,
          ).toBeDefined();
        }
      }

      // The Redis release reads its password from a Secret in its own namespace: written there, with that key.
      const redisValues = gen('helm', 'values', env, 'redis.yaml');
      if (existsSync(redisValues)) {
        // redis-ha: `existingSecret` and `authKey` at the top level (ADR 0018).
        const v = parse(readFileSync(redisValues, 'utf8')) as { existingSecret: string; authKey: string };
        const ws = writers.get(`data/${v.existingSecret}`);
        expect(ws, `${env}: the Redis release reads data/${v.existingSecret}`).toHaveLength(1);
        expect(ws![0]!.keys).toEqual([v.authKey]);
      }

      // The sheet: each data-service key is in the Secret it names, in every consumer's namespace.
      const sheet = JSON.parse(readFileSync(gen('handoff', `${env}.json`), 'utf8')) as {
        services: Array<{ name: string; namespace: string }>;
        dataServices: Array<{ name: string; secretKeys: Record<string, string>; consumers: string[] }>;
      };
      expect(sheet.dataServices.map((d) => d.name).sort()).toEqual(
        env === 'system' ? [] : ['postgres', 'redis'],
      );
      for (const ds of sheet.dataServices) {
        expect(Object.keys(ds.secretKeys).length).toBeGreaterThan(0);
        const namespaces = ds.consumers.map((c) => sheet.services.find((x) => x.name === c)!.namespace);
        expect(namespaces.length).toBeGreaterThan(0);
        for (const [key, secret] of Object.entries(ds.secretKeys)) {
          for (const ns of namespaces) {
            const ws = writers.get(`${ns}/${secret}`);
            expect(ws, `${env}: ${ds.name} ${key} in ${ns}/${secret}`).toBeDefined();
            expect(ws![0]!.keys, `${env}: ${ds.name} ${key} in ${ns}/${secret}`).toContain(key);
          }
        }
      }
    }
  });

  it('equals the committed generated/handoff, file for file (UPDATE_GOLDEN=1 regenerates it)', async () => {
    updateGoldenIfAsked();
    const r = await handoffEmitter.emit(await defaultModel(), { envcVersion: 'golden' });
    const diff = diffWithGenerated(r.files, ['handoff']);
    expect(diff, describeDiff(diff)).toEqual({ missing: [], extra: [], changed: [] });
    expect(committedFiles('handoff')).toHaveLength(8);
  });

  it('names an unknown environment with a suggestion and exits 64; a missing argument too', () => {
    const r = envc(['handoff', 'prod'], { cwd: dir });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('did you mean "production"?');
    expect(envc(['handoff'], { cwd: dir }).code).toBe(64);
  });
});
