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
  validate: { group: 'spec', summary: 'check environments.yaml against the schema and policy rules', load: () => import('./commands/validate.js') },
  compile: { group: 'spec', summary: 'compile environments.yaml into generated/ (--check: fail when stale)', load: () => import('./commands/compile.js') },
  diff: { group: 'spec', summary: 'show what a compile would change in generated/', load: () => import('./commands/diff.js') },
  schema: { group: 'spec', summary: 'print the JSON Schema of environments.yaml', load: () => import('./commands/schema.js') },
  graph: { group: 'spec', summary: 'draw environments, modules, namespaces, services, access policies and secrets', load: () => import('./commands/graph.js') },
  handoff: { group: 'spec', summary: "print an environment's handoff sheet for app teams", load: () => import('./commands/handoff.js') },
  probe: { group: 'operate', summary: 'probe control planes and service health URLs; report availability and SLO burn', load: () => import('./commands/probe.js') },
};
