// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions, not templates
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultModel, modelFromText } from '../../test/support/model.js';
import { PINNED_ACTIONS } from './actions.js';
import { escapeGithubExpressions, githubCron, renderWorkflows } from './render.js';

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string };
type Job = {
  permissions?: Record<string, string>;
  steps: Step[];
  strategy?: { matrix?: { environment?: string[] } };
  environment?: unknown;
  needs?: unknown;
  env?: Record<string, string>;
};
type Workflow = { permissions?: unknown; on: Record<string, unknown>; jobs: Record<string, Job> };

const workflowSchema = JSON.parse(
  readFileSync(new URL('../../test/fixtures/github-workflow.schema.json', import.meta.url), 'utf8'),
);

function byName(files: Array<{ path: string; content: string }>): Record<string, Workflow> {
  return Object.fromEntries(
    files.map((f) => [f.path.replace('.github/workflows/', ''), parse(f.content) as Workflow]),
  );
}

describe('escapeGithubExpressions', () => {
  it('keeps GitHub expressions literal while Handlebars fields still render', async () => {
    const Handlebars = (await import('handlebars')).default;
    const t = Handlebars.compile(
      escapeGithubExpressions('a: ${{ secrets.X }} b: {{v}} c: ${{ matrix.environment }}'),
      { strict: true },
    );
    expect(t({ v: 'yes' })).toBe('a: ${{ secrets.X }} b: yes c: ${{ matrix.environment }}');
  });
});

describe('githubCron', () => {
  it('raises per-minute schedules to GitHub’s 5-minute floor and keeps others', () => {
    expect(githubCron('* * * * *')).toMatchObject({ cron: '*/5 * * * *' });
    expect(githubCron('*/2 * * * *').cron).toBe('*/5 * * * *');
    expect(githubCron('0 */6 * * *')).toEqual({ cron: '0 */6 * * *' });
  });
});

describe('renderWorkflows (default spec)', async () => {
  const model = await defaultModel();
  const files = renderWorkflows(model);
  const wf = byName(files);

  it('writes the seven workflows', () => {
    expect(Object.keys(wf).sort()).toEqual([
      'envc-apply.yml',
      'envc-drift.yml',
      'envc-pr.yml',
      'envc-probe.yml',
      'envc-rollback-drill.yml',
      'envc-rotation.yml',
      'envc-state-backup.yml',
    ]);
  });

  it('passes one state key per environment (ENVC_STATE_*_KEY_<ENV>), never one shared key', () => {
    const env = wf['envc-pr.yml']!.jobs.plan!.env!;
    for (const e of ['DEVELOPMENT', 'STAGING', 'PRODUCTION', 'SYSTEM']) {
      expect(env[`ENVC_STATE_ACCESS_KEY_${e}`]).toBe(`\${{ secrets.ENVC_STATE_ACCESS_KEY_${e} }}`);
      expect(env[`ENVC_STATE_SECRET_KEY_${e}`]).toBe(`\${{ secrets.ENVC_STATE_SECRET_KEY_${e} }}`);
    }
    for (const f of files) expect(f.content, f.path).not.toMatch(/AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY):/);
  });

  it('every workflow validates against the GitHub workflow JSON Schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(workflowSchema);
    for (const f of files) {
      const ok = validate(parse(f.content));
      expect(ok ? [] : validate.errors, f.path).toEqual([]);
    }
  });

  it('the schema check is not vacuous: a broken workflow is rejected', () => {
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(workflowSchema);
    const broken = structuredClone(wf['envc-pr.yml']!) as unknown as {
      jobs: Record<string, Record<string, unknown>>;
    };
    broken.jobs.validate!['runs-on'] = undefined;
    delete broken.jobs.validate!['runs-on'];
    broken.jobs.validate!.stepz = [];
    expect(validate(broken)).toBe(false);
  });

  it('pins every action to a full commit SHA with its tag beside it', () => {
    const pinned = new Set(Object.values(PINNED_ACTIONS).map((a) => `${a.repo}@${a.sha}`));
    for (const f of files) {
      for (const m of f.content.matchAll(/uses:\s*(\S+)(.*)$/gm)) {
        expect(m[1], f.path).toMatch(/@[0-9a-f]{40}$/);
        expect(pinned.has(m[1]!), `${f.path}: ${m[1]}`).toBe(true);
        expect(m[2], f.path).toMatch(/# v\d+\.\d+\.\d+/);
      }
    }
  });

  it('grants nothing at the top and least privilege per job', () => {
    for (const [name, w] of Object.entries(wf)) {
      expect(w.permissions, name).toEqual({});
      for (const [jobName, job] of Object.entries(w.jobs)) {
        expect(job.permissions?.contents, `${name}:${jobName}`).toBe('read');
        const writes = Object.entries(job.permissions ?? {})
          .filter(([, v]) => v === 'write')
          .map(([k]) => k);
        const allowed =
          name === 'envc-pr.yml' ? (jobName === 'validate' ? ['security-events'] : ['pull-requests']) : [];
        expect(writes, `${name}:${jobName}`).toEqual(allowed);
      }
    }
  });

  it('PR checks: SARIF upload, compile --check and plan --all posted as a comment', () => {
    const pr = wf['envc-pr.yml']!;
    const v = pr.jobs.validate!.steps;
    expect(
      v.some((s) => s.run?.includes('envc validate environments.yaml --format sarif > envc.sarif')),
    ).toBe(true);
    const upload = v.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with).toMatchObject({ sarif_file: 'envc.sarif' });
    expect(upload?.if).toContain('always()');
    expect(v.some((s) => s.run === 'npx envc compile --check')).toBe(true);
    const plan = pr.jobs.plan!.steps;
    expect(plan.some((s) => s.run?.includes('npx envc plan --all > plan.txt'))).toBe(true);
    const comment = plan.find((s) => s.uses?.startsWith('actions/github-script@'));
    expect(String(comment?.with?.script)).toContain('createComment');
    expect(String(comment?.with?.script)).toContain('${{ steps.plan.outputs.exitcode }}');
  });

  it('apply: environments without approvals at once, the others through the gate, system first', () => {
    const apply = wf['envc-apply.yml']!;
    expect(apply.jobs.automatic!.strategy!.matrix!.environment).toEqual(['development']);
    expect(apply.jobs.gated!.strategy!.matrix!.environment).toEqual(['system', 'staging', 'production']);
    expect(apply.jobs.gated!.environment).toEqual({ name: '${{ matrix.environment }}' });
    expect(
      apply.jobs.gated!.steps.some((s) =>
        s.run?.includes('npx envc apply --env "${{ matrix.environment }}" --wait'),
      ),
    ).toBe(true);
    expect(
      apply.jobs.automatic!.steps.some((s) => s.run === 'npx envc apply --env "${{ matrix.environment }}"'),
    ).toBe(true);
    expect(apply.jobs.gated!.needs).toEqual(['check', 'automatic']);
  });

  it('schedules come from the spec; the probe is raised to GitHub’s 5-minute floor', () => {
    expect(wf['envc-drift.yml']!.on.schedule).toEqual([{ cron: model.schedules.drift }]);
    expect(wf['envc-rotation.yml']!.on.schedule).toEqual([{ cron: model.schedules.rotation }]);
    expect(wf['envc-probe.yml']!.on.schedule).toEqual([{ cron: '*/5 * * * *' }]);
    expect(wf['envc-rollback-drill.yml']!.on.schedule).toEqual([{ cron: '0 6 1 1,4,7,10 *' }]);
  });

  it('the rollback drill runs on a non-production environment that needs no approval', () => {
    const steps = wf['envc-rollback-drill.yml']!.jobs.drill!.steps;
    expect(steps.some((s) => s.run?.startsWith('npx envc rollback --env development --to'))).toBe(true);
    expect(steps.some((s) => s.with?.['fetch-depth'] === 0)).toBe(true);
  });

  it('state backups cover every environment; secrets come from the repository, never inline', () => {
    expect(wf['envc-state-backup.yml']!.jobs.backup!.strategy!.matrix!.environment).toEqual([
      'system',
      'development',
      'staging',
      'production',
    ]);
    for (const f of files) {
      for (const m of f.content.matchAll(/^\s+([A-Z_]+(TOKEN|KEY|STORE))\s*:\s*(.+)$/gm)) {
        expect(m[3], `${f.path}: ${m[1]}`).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
      }
    }
  });

  it('terraform is installed at the tested version without its wrapper', () => {
    const steps = wf['envc-apply.yml']!.jobs.automatic!.steps;
    const tf = steps.find((s) => s.uses?.startsWith('hashicorp/setup-terraform@'));
    expect(tf?.with).toEqual({ terraform_version: '1.11.4', terraform_wrapper: false });
  });

  it('every job that sets up Node runs the reference runtime, Node 24 (package.json engines: >= 22.5)', () => {
    const setups = Object.values(wf).flatMap((w) =>
      Object.values(w.jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('actions/setup-node@'))),
    );
    expect(setups.length).toBeGreaterThanOrEqual(Object.keys(wf).length);
    for (const s of setups) expect(String(s.with?.['node-version'])).toBe('24');
    const engines = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).engines;
    expect(engines.node).toBe('>=22.5');
  });
});

describe('renderWorkflows (edge cases)', () => {
  it('omits the automatic job when every environment needs an approval', async () => {
    const text = readFileSync(
      new URL('../../templates/init/environments.yaml', import.meta.url),
      'utf8',
    ).replace(/approvals:\n {6}required: false/, 'approvals:\n      required: true');
    const model = await modelFromText(text);
    const apply = byName(renderWorkflows(model))['envc-apply.yml']!;
    expect(apply.jobs.automatic).toBeUndefined();
    expect(apply.jobs.gated!.needs).toBe('check');
    expect(apply.jobs.gated!.strategy!.matrix!.environment).toEqual([
      'system',
      'development',
      'staging',
      'production',
    ]);
    const ajv = new Ajv({ strict: false });
    expect(ajv.validate(workflowSchema, apply)).toBe(true);
  });
});
