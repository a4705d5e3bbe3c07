// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not templates
/**
 * The PR workflow's comment script, run as actions/github-script would run it (AsyncFunction with `github`,
 * `context` and `require`), on what `envc plan --all` prints: the comment leads with the monthly cost change
 * per environment and flags a budget crossing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultModel } from '../../test/support/model.js';
import { makeStyle } from '../cli/output.js';
import type { PlanCost } from '../cost/plan-cost.js';
import { planCostText } from '../cost/text.js';
import { renderWorkflows } from './render.js';

const cost = (delta: number, before: number, budget?: PlanCost['budget']): PlanCost => ({
  currency: 'USD',
  monthlyBefore: before,
  monthlyAfter: before + delta,
  delta,
  resources: [],
  unknown: [],
  catalogue: { date: '2026-12-02', source: 'test' },
  ...(budget ? { budget } : {}),
});

describe('PR comment with the cost of the change', async () => {
  const model = await defaultModel();
  const pr = renderWorkflows(model).find((f) => f.path.endsWith('envc-pr.yml'))!;
  const steps = (
    parse(pr.content) as { jobs: { plan: { steps: Array<{ uses?: string; with?: { script?: string } }> } } }
  ).jobs.plan.steps;
  const script = steps.find((s) => s.uses?.startsWith('actions/github-script@'))?.with?.script ?? '';

  it('tables the monthly change per environment above the plan and flags a budget crossing', async () => {
    const s = makeStyle(false);
    const planTxt = [
      'development  planned 0123456789ab  +0 ~1 -0',
      '  ~ module.data_services.kubernetes_secret_v1.postgres_connection["team-a"]',
      planCostText(cost(0, 176), s),
      'production  planned abcdef012345  +0 ~1 -0',
      '  ~ module.cluster.linode_lke_cluster.this',
      planCostText(cost(1050, 986, { monthly: 2000, before: 'under', after: 'over', crosses: true }), s),
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'envc-pr-'));
    writeFileSync(join(dir, 'plan.txt'), planTxt);
    const posted: string[] = [];
    const github = {
      paginate: async () => [],
      rest: {
        issues: {
          listComments: () => undefined,
          createComment: async (a: { body: string }) => void posted.push(a.body),
          updateComment: async (a: { body: string }) => void posted.push(a.body),
        },
      },
    };
    const context = {
      repo: { owner: 'acme', repo: 'platform' },
      payload: { pull_request: { number: 7, head: { sha: 'f00d' } } },
    };
    // What GitHub does before running the script: substitute the expression.
    const body = script.replace('${{ steps.plan.outputs.exitcode }}', '2');
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await new AsyncFunction('github', 'context', 'require', body)(
        github,
        context,
        createRequire(import.meta.url),
      );
    } finally {
      process.chdir(cwd);
    }
    expect(posted).toHaveLength(1);
    const c = posted[0]!;
    expect(c).toContain(
      [
        '| environment | monthly cost change | before → after |',
        '| --- | --- | --- |',
        '| development | `±$0.00/mo` | $176.00 → $176.00 per month, prices of 2026-12-02 |',
        '| production | `+$1,050.00/mo` | $986.00 → $2,036.00 per month, prices of 2026-12-02 |',
        '',
        '> :warning: **production**: this change crosses the budget: $2,036.00 of $2,000.00 (102%)',
      ].join('\n'),
    );
    expect(c.indexOf('monthly cost change')).toBeLessThan(c.indexOf('```'));
  });
});
