import { q } from './shared.js';
import type { Finding, Rule } from './types.js';

const REQUIRED_HOSTS = ['argocd', 'bot'] as const;

/**
 * ArgoCD and the envc bot run in the `system` environment so that application clusters can be rebuilt from
 * it; without it nothing syncs and nobody approves.
 */
export const systemEnvironment: Rule = {
  code: 'ENVC2012',
  name: 'system-environment',
  title: 'a `system` environment exists, has tier system, and alone hosts ArgoCD and the bot',
  severity: 'error',
  check(model) {
    const findings: Finding[] = [];
    const system = model.environments.find((e) => e.name === 'system');
    if (!system) {
      const first = model.environments[0];
      findings.push({
        origin: first
          ? { ...first.origin, path: 'environments' }
          : { path: 'environments', file: model.sourceFile, line: 1, column: 1 },
        message: 'there is no "system" environment to host ArgoCD and the bot',
        hint: 'add `environments.system` with `tier: system` and `hosts: [argocd, bot, observability]`',
      });
    } else {
      if (system.tier !== 'system') {
        findings.push({
          origin: system.origin,
          message: `environment "system" has tier ${q(system.tier)}`,
          hint: 'set `tier: system`',
        });
      }
      const missing = REQUIRED_HOSTS.filter((h) => !system.hosts.includes(h));
      if (missing.length > 0) {
        findings.push({
          origin: system.origin,
          message: `environment "system" does not host ${missing.map((m) => q(m)).join(' and ')}`,
          hint: 'set `hosts: [argocd, bot, observability]`',
        });
      }
    }
    for (const env of model.environments) {
      if (env.name === 'system') continue;
      const stray = env.hosts.filter((h) => h === 'argocd' || h === 'bot');
      if (stray.length > 0) {
        findings.push({
          origin: env.origin,
          message: `environment ${q(env.name)} hosts ${stray.map((s) => q(s)).join(' and ')}, which belong to the "system" environment`,
          hint: `remove ${stray.map((s) => q(s)).join(' and ')} from \`environments.${env.name}.hosts\``,
        });
      }
    }
    return findings;
  },
};
