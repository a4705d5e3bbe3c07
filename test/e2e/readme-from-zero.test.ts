/**
 * The README's "From zero" block follows the real bring-up order and only uses commands and flags that exist:
 * bootstrap before any plan; `system` (ArgoCD's host) before the environments that register with it, read from
 * the generated phases.json inputs; each environment planned before it is applied; every environment covered.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStackNeeds } from '../../src/runner/preflight.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'envc.js');

function fromZero(): string[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- from-zero -->\n```sh\n([\s\S]*?)\n```/.exec(text)?.[1];
  expect(block, 'README.md has a <!-- from-zero --> sh block').toBeDefined();
  return block!
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.startsWith('npx envc '));
}

describe('README "From zero"', () => {
  const cmds = fromZero();

  it('exports every value only the operator has before the first plan (what preflight asks for)', () => {
    const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- from-zero -->\n```sh\n([\s\S]*?)\n```/.exec(text)![1]!;
    const firstPlan = block.indexOf('npx envc plan');
    const envDir = join(ROOT, 'generated', 'terraform', 'environments');
    const needs = readStackNeeds(readdirSync(envDir).map((e) => join(envDir, e)));
    expect(needs.operatorInputs?.length).toBeGreaterThan(0);
    for (const input of needs.operatorInputs ?? []) {
      const at = block.indexOf(`export TF_VAR_${input.name}=`);
      expect(at, input.name).toBeGreaterThanOrEqual(0);
      expect(at, input.name).toBeLessThan(firstPlan);
    }
  });

  it('uses only real commands and flags', () => {
    for (const c of cmds) {
      const [sub, ...rest] = c.slice('npx envc '.length).split(/\s+/);
      const help = spawnSync(process.execPath, [BIN, sub!, '--help'], { encoding: 'utf8' });
      expect(help.status, `${c}: ${help.stderr}`).toBe(0);
      for (const flag of rest.filter((a) => a.startsWith('--')))
        expect(help.stdout, `${c}: ${flag}`).toContain(flag);
    }
  });

  it('follows the bring-up order: bootstrap, then each environment after the ones its roots read from', () => {
    const at = (s: string) => cmds.indexOf(s);
    const bootstrap = cmds.findIndex((c) => c.startsWith('npx envc bootstrap'));
    expect(bootstrap).toBeGreaterThanOrEqual(0);
    expect(cmds.findIndex((c) => c.startsWith('npx envc plan'))).toBeGreaterThan(bootstrap);
    const envDir = join(ROOT, 'generated', 'terraform', 'environments');
    const envs = readdirSync(envDir);
    expect(envs.length).toBeGreaterThan(0);
    for (const env of envs) {
      const plan = at(`npx envc plan --env ${env}`);
      const apply = at(`npx envc apply --env ${env}`);
      expect(plan, `plan of ${env}`).toBeGreaterThan(bootstrap);
      expect(apply, `apply of ${env}`).toBeGreaterThan(plan);
      const phases = JSON.parse(readFileSync(join(envDir, env, 'phases.json'), 'utf8')) as {
        phases: Array<{ inputs: Record<string, { environment: string }> }>;
      };
      for (const p of phases.phases)
        for (const src of Object.values(p.inputs))
          if (src.environment !== env)
            expect(
              at(`npx envc apply --env ${src.environment}`),
              `${src.environment} before ${env}`,
            ).toBeLessThan(plan);
    }
  });
});
