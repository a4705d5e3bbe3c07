/**
 * terraform/bootstrap/: the root that creates the state bucket and its scoped keys (docs/adr/0008). The
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
import { BOT_KEY_HOLDER, buildStateBackendTfvars } from './tfvars.js';
import { PROVIDERS, TERRAFORM_VERSION } from './versions.js';

export const BOOTSTRAP_DIR = 'terraform/bootstrap';

/** `<keyPrefix>/bootstrap/terraform.tfstate`: where the bootstrap root's state lives once migrated. */
export function bootstrapStateKey(model: Model): string {
  return `${model.stateBackend.keyPrefix}/bootstrap/terraform.tfstate`;
}

export function renderBootstrap(model: Model): GeneratedFile[] {
  const key = bootstrapStateKey(model);
  const sources = [{ resource: 'module.state_backend', origin: model.stateBackend.origin }];
  const tf = {
    versions: template('environment/versions.tf')({
      terraform: TERRAFORM_VERSION,
      providers: [PROVIDERS.linode],
    }),
    providers: template('bootstrap/providers.tf')({}),
    main: template('bootstrap/main.tf')({ platform: model.platform }),
    variables: template('bootstrap/variables.tf')({}),
    outputs: template('bootstrap/outputs.tf')({ stateBackend: { botHolder: BOT_KEY_HOLDER } }),
  };
  const files: GeneratedFile[] = Object.entries(tf).map(([base, text]) => ({
    path: `${BOOTSTRAP_DIR}/${base}.tf`,
    content: header('#') + text,
    ...(base === 'main' ? { sources } : {}),
  }));
  const vars = buildStateBackendTfvars(model);
  files.push({
    path: `${BOOTSTRAP_DIR}/terraform.tfvars.json`,
    content: formatJson({ '//': generatedHeader('#').slice(2).trimEnd(), state_backend: vars }),
    sources,
  });
  files.push({
    path: `${BOOTSTRAP_DIR}/backend.hcl`,
    content: header('#') + backendHcl(model, 'bootstrap', key),
    sources: [{ resource: 'backend.s3', origin: model.stateBackend.origin }],
  });
  files.push({
    path: `${BOOTSTRAP_DIR}/README.md`,
    content: template('bootstrap/README.md')({
      bucket: model.stateBackend.bucket,
      key,
      holders: vars.key_holders.map((h) => `\`${h}\``).join(', '),
      outputs: outputsOf(tf.outputs),
    }),
  });
  return files;
}
