/**
 * The `handoff` emitter: per environment, `handoff/<env>.json` (the machine-readable sheet, valid against
 * schemas/handoff.schema.json) and `handoff/<env>.md` (the same sheet for people — the environment's
 * README). Both sit in one folder so an app team finds everything about "their" environment in one place.
 */
import type { EnvironmentModel, Model } from '../../model.js';
import type { Emitter, GeneratedFile, SourceRef } from '../types.js';
import { renderHandoffMarkdown } from './markdown.js';
import { buildHandoff, renderHandoffJson } from './sheet.js';

export { renderHandoffMarkdown } from './markdown.js';
export { buildHandoff, type HandoffSheet, renderHandoffJson } from './sheet.js';

/** Which spec lines the sheet is made of (the source map entry of both files). */
function sources(model: Model, env: EnvironmentModel): SourceRef[] {
  const refs: SourceRef[] = [
    { resource: 'environment', origin: env.origin },
    { resource: 'limits', origin: env.quotas.origin },
    { resource: 'ingress.domain', origin: env.network.dns.origin },
  ];
  for (const s of env.services) {
    refs.push({ resource: `service/${s.name}`, origin: s.origin });
    if (s.ingress) refs.push({ resource: `ingress/${s.name}`, origin: s.ingress.origin });
  }
  if (env.dataServices.postgres)
    refs.push({ resource: 'dataService/postgres', origin: env.dataServices.postgres.origin });
  if (env.dataServices.redis)
    refs.push({ resource: 'dataService/redis', origin: env.dataServices.redis.origin });
  for (const s of env.secrets) {
    const spec = model.secrets.find((x) => x.name === s.name);
    if (spec) refs.push({ resource: `secret/${s.name}`, origin: spec.origin });
  }
  for (const p of model.accessPolicies) {
    if (p.environments.includes(env.name))
      refs.push({ resource: `accessPolicy/${p.name}`, origin: p.origin });
  }
  refs.push({ resource: 'approvals', origin: env.approvals.origin });
  return refs;
}

export const handoffEmitter: Emitter = {
  name: 'handoff',
  emit(model) {
    const files: GeneratedFile[] = [];
    for (const env of model.environments) {
      const sheet = buildHandoff(model, env);
      const refs = sources(model, env);
      files.push({ path: `handoff/${env.name}.json`, content: renderHandoffJson(sheet), sources: refs });
      files.push({ path: `handoff/${env.name}.md`, content: renderHandoffMarkdown(sheet), sources: refs });
    }
    return { files, diagnostics: [] };
  },
};
