/**
 * What a trial run leaves in a checkout stays out of git (issue 13): terraform's working files under
 * generated/, saved plans, local state, envc's own store and caches.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const checkout = existsSync(`${root}.git`) ? undefined : 'not a git checkout: nothing to ignore';

const ignored = (path: string) =>
  spawnSync('git', ['check-ignore', '--no-index', '-q', path], { cwd: root }).status === 0;

describe.skipIf(checkout)('.gitignore', () => {
  it("ignores terraform's working files, plans and local state, and envc's store and caches", () => {
    for (const path of [
      'generated/terraform/environments/development/cluster/.terraform/providers/x',
      'generated/terraform/environments/production/platform/envc.tfplan',
      'generated/terraform/bootstrap/terraform.tfstate',
      'generated/terraform/bootstrap/terraform.tfstate.backup',
      '.envc/state/envc.sqlite',
      '.envc/cache/model-0123.json',
    ])
      expect(ignored(path), path).toBe(true);
  });

  it('keeps what is reviewed: the generated tree, the spec, the lock files of the roots', () => {
    for (const path of [
      'generated/terraform/environments/development/cluster/main.tf',
      'generated/manifest.json',
      'environments.yaml',
      'generated/terraform/environments/development/cluster/.terraform.lock.hcl',
    ])
      expect(ignored(path), path).toBe(false);
  });
});
