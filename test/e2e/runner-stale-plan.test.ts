/**
 * "Apply only the latest, matching plan", end to end: the built CLI, the real terraform binary on the fixture
 * stacks, a PGlite store. Each refusal has its own code, exits 6 (stale-plan), says what to run next, and
 * leaves the state untouched; a plan that still matches is applied, named with its digest, revision, stack
 * directory and age.
 */
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { terraformSkipReason, type Workspace, workspace } from '../../src/runner/test-harness.js';
import { onStack } from '../support/run-args.js';

const skip = terraformSkipReason();
const A = '1111111111111111111111111111111111111111';
const B = '2222222222222222222222222222222222222222';

describe.skipIf(skip)(
  'envc apply refuses a plan that is not the latest intent (e2e)',
  { timeout: 900_000 },
  () => {
    let ws: Workspace;
    beforeEach(async () => {
      ws = await workspace({ envs: ['development'] });
    });
    const plan = async (extra: Record<string, string> = {}) => {
      const r = await ws.envc(onStack('plan', 'development', '--json'), { GITHUB_SHA: A, ...extra });
      expect(r.code, r.stderr).toBe(2);
      return JSON.parse(r.stdout).environments[0].digest as string;
    };

    it('after a newer plan attempt failed (even once the stack is fixed again)', async () => {
      await plan();
      const main = join(ws.stacksDir, 'development', 'main.tf');
      const good = readFileSync(main, 'utf8');
      writeFileSync(main, `${good}\nresource "terraform_data" "broken" {\n`);
      const failed = await ws.envc(onStack('plan', 'development'), { GITHUB_SHA: A });
      expect(failed.code).toBe(3);
      writeFileSync(main, good);
      const r = await ws.envc(onStack('apply', 'development'), { GITHUB_SHA: A });
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(
        /refused development: the newest plan attempt of development \(at .* by cli:.*\) failed; plan [0-9a-f]{12} is older than what was last intended \[ENVC4014\]/,
      );
      expect(r.stderr).toContain('next: fix what made the plan fail, then envc plan --env development');
      expect(ws.state('development')?.resources ?? []).toEqual([]);
      // A new successful plan is the latest intent again.
      await plan();
      expect((await ws.envc(onStack('apply', 'development'), { GITHUB_SHA: A })).code).toBe(0);
    });

    it('when the spec or the terraform root changed since the plan', async () => {
      await plan();
      appendFileSync(join(ws.dir, 'environments.yaml'), '\n# reviewed later\n');
      const spec = await ws.envc(onStack('apply', 'development'), { GITHUB_SHA: A });
      expect(spec.code).toBe(6);
      expect(spec.stderr).toMatch(
        /refused development: the spec of development changed since plan [0-9a-f]{12} was made \[ENVC4015\]/,
      );
      await plan();
      const vars = join(ws.stacksDir, 'development', 'main.tf');
      writeFileSync(vars, readFileSync(vars, 'utf8').replace('default = 3', 'default = 4'));
      const stack = await ws.envc(onStack('apply', 'development'), { GITHUB_SHA: A });
      expect(stack.code).toBe(6);
      expect(stack.stderr).toContain('the terraform root of development changed since plan');
      expect(stack.stderr).toContain('[ENVC4015]');
      expect(ws.state('development')?.resources ?? []).toEqual([]);
    });

    it('when the plan was made from another stack directory', async () => {
      await plan();
      cpSync(ws.stacksDir, join(ws.dir, 'other'), { recursive: true });
      const r = await ws.envc(['apply', '--env', 'development', '--stacks', 'other'], { GITHUB_SHA: A });
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(
        /refused development: plan [0-9a-f]{12} of development was made from .*\/stacks\/development, not from .*\/other\/development \[ENVC4016\]/,
      );
      expect(ws.state('development')?.resources ?? []).toEqual([]);
    });

    it('when the git revision moved; a matching plan is applied and named first', async () => {
      const digest = await plan();
      const moved = await ws.envc(onStack('apply', 'development'), { GITHUB_SHA: B });
      expect(moved.code).toBe(6);
      expect(moved.stderr).toContain(
        `refused development: plan ${digest.slice(0, 12)} of development was made at revision 111111111111; the checkout is now at 222222222222 [ENVC4017]`,
      );
      const ok = await ws.envc(onStack('apply', 'development'), { GITHUB_SHA: A });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stderr).toMatch(
        new RegExp(
          `development: applying plan ${digest.slice(0, 12)} \\(revision 111111111111, .*stacks/development, made \\d+s ago by cli:.*\\)`,
        ),
      );
      expect(ws.state('development')?.resources).toHaveLength(3);
    });
  },
);
