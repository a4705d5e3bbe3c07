/**
 * The Terraform emitter over property-generated specs (test/support/arbitrary-spec.ts): whatever valid spec
 * comes in, the output matches the provider schemas, every reference resolves, it is deterministic, it is
 * formatted (real terraform fmt) and real Terraform accepts every variable value and validation.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terraformEmitter } from '../../src/compiler/emitters/terraform/index.js';
import type { GeneratedFile } from '../../src/compiler/emitters/types.js';
import type { Model } from '../../src/compiler/model.js';
import { arbitrarySpec } from '../support/arbitrary-spec.js';
import { modelFromSpec } from '../support/model.js';
import { checkTerraform, loadReferenceSchemas } from '../support/tf-schema-check.js';
import {
  fmtCheck,
  parseAll,
  planShadows,
  resolveReferences,
  shadowStack,
  terraformSkipReason,
  writeTree,
} from './terraform-support.js';

async function emit(model: Model): Promise<GeneratedFile[]> {
  const r = await terraformEmitter.emit(model, { envcVersion: 'test' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.files;
}

describe('terraform emitter — property-generated specs', () => {
  it('always matches the provider schemas, resolves every reference and is deterministic', async () => {
    const ref = loadReferenceSchemas();
    await fc.assert(
      fc.asyncProperty(arbitrarySpec(), async (spec) => {
        const model = await modelFromSpec(spec);
        const files = await emit(model);
        const again = await emit(structuredClone(model));
        expect(again.map((f) => [f.path, f.content])).toEqual(files.map((f) => [f.path, f.content]));

        const report = await checkTerraform(files, ref);
        expect(report.problems).toEqual([]);
        expect(report.checked.resources).toBeGreaterThan(0);

        const parsed = await parseAll(files);
        expect(resolveReferences(files, parsed, () => undefined)).toEqual([]);

        for (const env of model.environments) {
          const dir = `terraform/environments/${env.name}/cluster`;
          const main = files.find((f) => f.path === `${dir}/main.tf`)!.content;
          const tfvars = JSON.parse(files.find((f) => f.path === `${dir}/terraform.tfvars.json`)!.content);
          // Protected environments use the prevent_destroy variants, the others never do.
          expect(main.includes('../../../modules/lke-cluster-protected'), env.name).toBe(env.protected);
          expect(main.includes('../../../modules/network-protected'), env.name).toBe(env.protected);
          // Every pool of the spec is created (a count-0 pool is refused, never dropped).
          expect(tfvars.cluster.pools.map((p: { name: string }) => p.name)).toEqual(
            env.cluster.pools.map((p) => p.name),
          );
          // Spec strings arrive byte for byte (quotes, `${`, `%{`, backslashes included).
          expect(Object.values(tfvars.dns.records).map((r) => (r as { target: string }).target)).toEqual(
            env.network.dns.records.map((r) => r.target),
          );
          // A VPC needs the beta API on the provider (the cluster's vpc_id/subnet_id are beta arguments).
          const providers = files.find((f) => f.path === `${dir}/providers.tf`)!.content;
          expect(
            providers.includes('api_version       = "v4beta"') ||
              providers.includes('api_version = "v4beta"'),
            env.name,
          ).toBe(env.network.vpc !== undefined);
        }
      }),
      { numRuns: 30, seed: 20261126 },
    );
  });

  it.skipIf(terraformSkipReason !== undefined)(
    'is always formatted (one real `terraform fmt -check` over many generated trees)',
    async () => {
      const specs = fc.sample(arbitrarySpec(), { numRuns: 12, seed: 7 });
      const root = writeTree([]);
      try {
        for (const [i, spec] of specs.entries()) {
          const files = await emit(await modelFromSpec(spec));
          writeTree(files, join(root, `spec-${i}`));
        }
        const r = fmtCheck(root);
        expect(r.files, r.stderr).toEqual([]);
        expect(r.status).toBe(0);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(terraformSkipReason !== undefined)(
    'always passes real Terraform type checks and variable validations',
    async () => {
      const specs = fc.sample(arbitrarySpec(), { numRuns: 3, seed: 11 });
      const jobs: Array<{ label: string; dir: string }> = [];
      for (const [i, spec] of specs.entries()) {
        const model = await modelFromSpec(spec);
        const files = await emit(model);
        for (const env of model.environments)
          for (const phase of ['cluster', 'platform'])
            jobs.push({
              label: `spec ${i} ${env.name}/${phase}`,
              dir: shadowStack(files, `terraform/environments/${env.name}/${phase}`),
            });
      }
      // Every stack's init and plan, a few at once (they are separate processes).
      for (const { label, result } of await planShadows(jobs))
        expect(result.status, `${label}: ${result.stderr}`).toBe(0);
    },
    120_000,
  );
});
