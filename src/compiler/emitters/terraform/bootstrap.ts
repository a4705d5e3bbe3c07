/**
 * terraform/bootstrap/: the root that creates the state buckets (one per environment) and their scoped keys
 * (docs/adr/0008, 0017). The
 * runner's `envc bootstrap` applies it with local state, then migrates that state into the bucket.
 */
import type { Model } from '../../model.js';
import type { GeneratedFile } from '../types.js';
import { generatedHeader } from '../types.js';
import { header } from './header.js';
import { formatJson } from './json.js';
import { backendHcl } from './stack.js';
import { template } from './templates.js';
import { outputsOf } from './tfdoc.js';
import { buildStateBackendTfvars } from './tfvars.js';
import { PROVIDERS, TERRAFORM_VERSION } from './versions.js';

export const BOOTSTRAP_DIR = 'terraform/bootstrap';

/** `<keyPrefix>/bootstrap/terraform.tfstate`: where the bootstrap root's state lives once migrated. */
export function bootstrapStateKey(model: Model): string {
  return `${model.stateBackend.keyPrefix}/bootstrap/terraform.tfstate`;
}

export function renderBootstrap(model: Model): GeneratedFile[] {
  const key = bootstrapStateKey(model);
  const vars = buildStateBackendTfvars(model);
  const environments = Object.keys(vars.environments).map((name) => ({
    name,
    id: name.replaceAll('-', '_'),
  }));
  const width = Math.max('bootstrap'.length, ...environments.map((e) => e.name.length));
  const origin = model.stateBackend.origin;
  const sources = [
    { resource: 'module.state_bootstrap', origin },
    ...environments.map((e) => ({ resource: `module.state_${e.id}`, origin })),
    ...Object.keys(vars.writers).map((w) => ({
      resource: `linode_object_storage_key.writer["${w}"]`,
      origin,
    })),
  ];
  const tf = {
    versions: template('environment/versions.tf')({
      terraform: TERRAFORM_VERSION,
      providers: [PROVIDERS.linode],
    }),
    providers: template('bootstrap/providers.tf')({}),
    main: template('bootstrap/main.tf')({ platform: model.platform, environments, width }),
    variables: template('bootstrap/variables.tf')({}),
    outputs: template('bootstrap/outputs.tf')({ environments, width }),
  };
  const files: GeneratedFile[] = Object.entries(tf).map(([base, text]) => ({
    path: `${BOOTSTRAP_DIR}/${base}.tf`,
    content: header('#') + text,
    ...(base === 'main' ? { sources } : {}),
  }));
  files.push({
    path: `${BOOTSTRAP_DIR}/terraform.tfvars.json`,
    content: formatJson({ '//': generatedHeader('#').slice(2).trimEnd(), state_backend: vars }),
    sources,
  });
  files.push({
    path: `${BOOTSTRAP_DIR}/backend.hcl`,
    content: header('#') + backendHcl(model, 'bootstrap', model.stateBackend.bucket, key),
    sources: [{ resource: 'backend.s3', origin: model.stateBackend.origin }],
  });
  files.push({
    path: `${BOOTSTRAP_DIR}/README.md`,
    content: template('bootstrap/README.md')({
      bucket: model.stateBackend.bucket,
      key,
      environments: Object.values(vars.environments)
        .map((e) => `\`${e.bucket}\``)
        .join(', '),
      writers: Object.keys(vars.writers)
        .map((w) => `\`${w}\``)
        .join(', '),
      outputs: outputsOf(tf.outputs),
    }),
  });
  return files;
}
