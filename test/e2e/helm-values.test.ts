/**
 * Helm values through the real CLI: `envc compile` writes helm/values/<env>/<release>.yaml, lists each file in
 * the manifest with its source, and every values file the generated Terraform reads exists for its
 * environment (the Terraform emitter wires these paths).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envc } from '../support/cli.js';
import { DEFAULT_SPEC_PATH } from '../support/model.js';

let dir: string;
let out: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'envc-helm-'));
  out = join(dir, 'generated');
  const r = envc(['compile', DEFAULT_SPEC_PATH, '--out', out], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('helm values via envc compile', () => {
  it('writes parseable values for every environment and lists them in the manifest', () => {
    const envs = readdirSync(join(out, 'helm/values')).sort();
    expect(envs).toEqual(['development', 'production', 'staging', 'system']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      files: Record<string, { sha256: string; sources: Array<{ resource: string; path: string }> }>;
    };
    for (const env of envs) {
      for (const f of readdirSync(join(out, 'helm/values', env))) {
        const path = `helm/values/${env}/${f}`;
        expect(manifest.files[path]?.sources, path).toEqual([
          {
            resource: `helm:${f.replace('.yaml', '')}`,
            // Redis is sized from its own block; the add-ons from the environment's.
            path: f === 'redis.yaml' ? `environments.${env}.dataServices.redis` : `environments.${env}`,
            line: expect.any(Number),
            column: expect.any(Number),
          },
        ]);
        const values = parse(readFileSync(join(out, path), 'utf8')) as Record<string, unknown>;
        expect(Object.keys(values).length, path).toBeGreaterThan(0);
      }
    }
  });

  it('has every values file the generated Terraform of each environment reads', () => {
    for (const env of readdirSync(join(out, 'terraform/environments'))) {
      // The platform root installs the releases (the cluster root holds only Linode resources).
      const root = join(out, 'terraform/environments', env, 'platform');
      const tf = readdirSync(root)
        .filter((f) => f.endsWith('.tf'))
        .map((f) => readFileSync(join(root, f), 'utf8'))
        .join('\n');
      const direct = [...tf.matchAll(/helm_values_dir\}\/([a-z-]+\.yaml)/g)].map((m) => m[1]!);
      const modules = [...tf.matchAll(/source\s*=\s*"\.\.\/\.\.\/\.\.\/modules\/([a-z-]+)"/g)].map(
        (m) => m[1]!,
      );
      const viaModules = modules.flatMap((m) => {
        const main = join(out, 'terraform/modules', m, 'main.tf');
        if (!existsSync(main)) return [];
        const text = readFileSync(main, 'utf8');
        // A release guarded by fileexists() is installed only where its values file is written (the NVIDIA
        // device plugin, in environments with a GPU pool).
        const optional = new Set(
          [...text.matchAll(/fileexists\("\$\{var\.values_dir\}\/([a-z-]+\.yaml)"\)/g)].map((x) => x[1]!),
        );
        return [...text.matchAll(/values_dir\}\/([a-z-]+\.yaml)/g)]
          .map((x) => x[1]!)
          .filter((f) => !optional.has(f));
      });
      const needed = [...new Set([...direct, ...viaModules])];
      expect(needed.length, env).toBeGreaterThan(0);
      for (const file of needed)
        expect(existsSync(join(out, 'helm/values', env, file)), `${env}: ${file}`).toBe(true);
    }
  });

  it('compiles again without changing a byte (deterministic)', () => {
    const r = envc(['compile', DEFAULT_SPEC_PATH, '--out', out, '--check'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});
