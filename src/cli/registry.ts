import type { CommandSpec } from './command.js';

/**
 * Every command, loaded lazily: `envc --version` must not pay for cdk8s, Bolt or PGlite.
 * The summary lives here so `envc --help` needs no command module at all.
 */
export interface CommandEntry {
  summary: string;
  group: 'spec' | 'run' | 'operate';
  load(): Promise<{ command: CommandSpec }>;
}

export const commands: Record<string, CommandEntry> = {
  init: {
    group: 'spec',
    summary: 'scaffold a new environments.yaml (and CI workflows with --ci github)',
    load: () => import('./commands/init.js'),
  },
  validate: {
    group: 'spec',
    summary: 'check environments.yaml against the schema and policy rules',
    load: () => import('./commands/validate.js'),
  },
  compile: {
    group: 'spec',
    summary: 'compile environments.yaml into generated/ (--check: fail when stale)',
    load: () => import('./commands/compile.js'),
  },
  diff: {
    group: 'spec',
    summary: 'show what a compile would change in generated/',
    load: () => import('./commands/diff.js'),
  },
  schema: {
    group: 'spec',
    summary: 'print the JSON Schema of environments.yaml',
    load: () => import('./commands/schema.js'),
  },
  graph: {
    group: 'spec',
    summary: 'draw environments, modules, namespaces, services, access policies and secrets',
    load: () => import('./commands/graph.js'),
  },
  handoff: {
    group: 'spec',
    summary: "print an environment's handoff sheet for app teams",
    load: () => import('./commands/handoff.js'),
  },
  cost: {
    group: 'spec',
    summary: 'monthly cost of every environment from the spec, against its budget',
    load: () => import('./commands/cost.js'),
  },
  prices: {
    group: 'spec',
    summary: 'update the price catalogue from the Linode API (envc prices update), or show it',
    load: () => import('./commands/prices.js'),
  },
  traffic: {
    group: 'spec',
    summary: 'would a connection be allowed? evaluate the generated NetworkPolicies',
    load: () => import('./commands/traffic.js'),
  },
  plan: {
    group: 'run',
    summary: 'plan environments in parallel: summary and plan digest per environment',
    load: () => import('./commands/plan.js'),
  },
  apply: {
    group: 'run',
    summary: 'apply the saved plan — through the approval gate where the spec requires one',
    load: () => import('./commands/apply.js'),
  },
  approvals: {
    group: 'run',
    summary: 'list pending approvals; approve or deny a plan digest',
    load: () => import('./commands/approvals.js'),
  },
  drift: {
    group: 'run',
    summary: 'find drift: infrastructure changed outside terraform, code not applied, generated/ stale',
    load: () => import('./commands/drift.js'),
  },
  state: {
    group: 'run',
    summary: 'back up, list and restore terraform state in Object Storage',
    load: () => import('./commands/state.js'),
  },
  rollback: {
    group: 'run',
    summary: 'plan and apply an environment as it was at a git ref (same approval gate)',
    load: () => import('./commands/rollback.js'),
  },
  destroy: {
    group: 'run',
    summary: 'destroy an environment (production: only when the spec and an approval allow it)',
    load: () => import('./commands/destroy.js'),
  },
  lock: {
    group: 'run',
    summary: 'show environment locks; force-release one whose holder is gone',
    load: () => import('./commands/lock.js'),
  },
  demo: {
    group: 'operate',
    summary: 'try the whole loop locally: real bot, Slack playground, plan pages (no account, no network)',
    load: () => import('./commands/demo.js'),
  },
  bot: {
    group: 'operate',
    summary: 'run the Slack bot: /infra commands, approvals, drift alerts',
    load: () => import('./commands/bot.js'),
  },
  probe: {
    group: 'operate',
    summary: 'probe control planes and service health URLs; report availability and SLO burn',
    load: () => import('./commands/probe.js'),
  },
  rotate: {
    group: 'operate',
    summary: 'rotate secrets now, every due one (--due), or show when each is due (--status)',
    load: () => import('./commands/rotate.js'),
  },
  access: {
    group: 'operate',
    summary: 'just-in-time Kubernetes access: request, approve, revoke, review, sweep',
    load: () => import('./commands/access.js'),
  },
};
