import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../main.js';

export const command: CommandSpec = {
  name: 'init',
  summary: 'scaffold a new environments.yaml (and CI workflows with --ci github)',
  usage:
    'envc init [--ci github] [--ci-only] [--force] [--dir DIR]\n       envc init --ci github --app [--spec FILE] [--dir APP_REPO] [--manifests DIR] [--force]',
  description: `Writes a small, valid environments.yaml to start from (development, staging, production and system
environments, one sample service, access policies, a rotated database secret). With --ci github it also
writes GitHub Actions workflows to .github/workflows/, derived from the spec:

  envc-pr.yml              validate (SARIF to code scanning), compile --check, plan --all as a PR comment
  envc-apply.yml           on merge: apply environments without approvals at once, the others through
                           envc's approval gate (and an optional GitHub environment protection rule)
  envc-drift.yml           scheduled drift detection (schedules.drift)
  envc-rotation.yml        scheduled secret rotation (schedules.rotation)
  envc-probe.yml           availability probe (schedules.probe, at most every 5 minutes on GitHub)
  envc-rollback-drill.yml  quarterly rollback drill on a non-production environment
  envc-state-backup.yml    daily Terraform state backups

With --app it writes the workflow for an application repository instead (into --dir, the app's checkout):
  envc-traffic.yml         on pull requests: envc traffic --manifests <DIR> --check per environment
                           against the platform's generated policies (docs/traffic.md)
It is derived from the platform spec (--spec, relative to the current directory): GitOps repository and
revision, environments.

Existing files are never overwritten without --force; nothing is written when one exists.
--ci-only keeps your environments.yaml and writes only the workflows (derived from it).

Examples:
  envc init
  envc init --ci github
  envc init --ci github --ci-only --force   # regenerate the workflows after editing the spec
  envc init --ci github --app --dir ../team-a-app --manifests deploy/k8s`,
  options: {
    ci: { type: 'string', valueName: 'github', description: 'also write CI workflows for this provider' },
    'ci-only': { type: 'boolean', description: 'write only the CI workflows, from the existing spec' },
    force: { type: 'boolean', description: 'overwrite existing files' },
    app: { type: 'boolean', description: 'write the traffic-check workflow for an application repository' },
    manifests: {
      type: 'string',
      valueName: 'DIR',
      description: 'with --app: where the app repository keeps its manifests (default k8s)',
    },
    dir: { type: 'string', valueName: 'DIR', description: 'directory to scaffold into (default: current)' },
    spec: { type: 'string', valueName: 'FILE', description: 'spec file name', default: 'environments.yaml' },
    branch: {
      type: 'string',
      valueName: 'NAME',
      description: 'branch whose pushes apply (workflows)',
      default: 'main',
    },
  },
  async run(ctx) {
    const ci = ctx.flags.ci as string | undefined;
    if (ci !== undefined && ci !== 'github') throw new UsageError(`--ci supports "github", not "${ci}"`);
    const ciOnly = Boolean(ctx.flags['ci-only']);
    if (ctx.flags.app) {
      if (ci !== 'github') throw new UsageError('--app needs --ci github');
      const { initApp } = await import('./init-app.js');
      return initApp(ctx);
    }
    if (ciOnly && !ci) throw new UsageError('--ci-only needs --ci github');
    const dirFlag = ctx.flags.dir as string | undefined;
    const dir = dirFlag ? (isAbsolute(dirFlag) ? dirFlag : join(ctx.cwd, dirFlag)) : ctx.cwd;
    const specFile = (ctx.flags.spec as string | undefined) ?? 'environments.yaml';
    if (ciOnly && !existsSync(join(dir, specFile))) {
      return {
        exitCode: ExitCode.Findings,
        stderr: `envc init: --ci-only needs an existing ${specFile} in ${dir}; run \`envc init --ci github\` to create both\n`,
      };
    }
    const { planScaffold, writeScaffold } = await import('../../init/scaffold.js');
    const plan = await planScaffold({
      dir,
      ...(ci ? { ci: 'github' as const } : {}),
      ciOnly,
      force: Boolean(ctx.flags.force),
      specFile,
      defaultBranch: (ctx.flags.branch as string | undefined) ?? 'main',
    });
    if (!plan.ok && plan.reason === 'exists') {
      return {
        exitCode: ExitCode.Findings,
        stderr: `envc init: refusing to overwrite existing files (nothing was written):\n${plan.existing.map((p) => `  ${p}`).join('\n')}\nrerun with --force to replace them${ci && !ciOnly ? ', or with --ci-only to keep your spec and write only the workflows' : ''}\n`,
      };
    }
    if (!plan.ok) {
      const { renderDiagnostics } = await import('../render-diagnostics.js');
      return {
        exitCode: ExitCode.Findings,
        stderr: `${renderDiagnostics(plan.diagnostics, plan.text, ctx.errStyle)}\nenvc init: ${specFile} is not valid, so no workflows were derived from it; fix it (\`envc validate\`) and rerun\n`,
      };
    }
    await writeScaffold(dir, plan.files);
    const lines = plan.files.map((f) => `${ctx.style.green('wrote')} ${f.path}`);
    lines.push('', 'next:');
    if (!ciOnly)
      lines.push(
        `  edit ${specFile} (platform name, domains, CIDRs, approvers), then`,
        '  npx envc validate && npx envc compile',
      );
    if (ci) {
      lines.push(
        '  add the repository secrets the workflows read: ENVC_STORE (PostgreSQL URL shared with the bot), LINODE_TOKEN,',
        "  ENVC_STATE_ACCESS_KEY_<ENV> / ENVC_STATE_SECRET_KEY_<ENV> (each environment's state key), SLACK_BOT_TOKEN, ENVC_KUBECONFIG_<ENV> (probe)",
      );
    }
    return { exitCode: ExitCode.Ok, stdout: `${lines.join('\n')}\n` };
  },
};
