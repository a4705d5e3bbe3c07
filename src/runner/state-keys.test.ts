import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStateKeys } from './state-keys.js';
import { createTerraform } from './terraform.js';

describe("each environment's terraform gets that environment's state key only", () => {
  it('passes ENVC_STATE_*_KEY_<ENV> as the s3 backend credentials of runs in that environment', async () => {
    const stacks = mkdtempSync(join(tmpdir(), 'envc-keys-'));
    for (const d of ['production/cluster', 'dev-eu/platform'])
      mkdirSync(join(stacks, d), { recursive: true });
    // A real child process stands in for terraform: it prints the credentials it was given.
    const tf = withStateKeys(createTerraform({ bin: process.execPath }), stacks, {
      ENVC_STATE_ACCESS_KEY_PRODUCTION: 'PRODKEYID',
      ENVC_STATE_SECRET_KEY_PRODUCTION: 'prod-secret',
      ENVC_STATE_ACCESS_KEY_DEV_EU: 'DEVKEYID',
      ENVC_STATE_SECRET_KEY_DEV_EU: 'dev-secret',
    });
    const show = [
      '-e',
      'console.log(process.env.AWS_ACCESS_KEY_ID ?? "none", process.env.AWS_SECRET_ACCESS_KEY ?? "none")',
    ];
    expect((await tf.run(show, { cwd: join(stacks, 'production/cluster') })).stdout.trim()).toBe(
      'PRODKEYID prod-secret',
    );
    expect((await tf.run(show, { cwd: join(stacks, 'dev-eu/platform') })).stdout.trim()).toBe(
      'DEVKEYID dev-secret',
    );
    // Outside the stacks (or for an environment without its own pair) nothing is added.
    const outside = await tf.run(show, {
      cwd: tmpdir(),
      env: { AWS_ACCESS_KEY_ID: 'X', AWS_SECRET_ACCESS_KEY: 'Y' },
    });
    expect(outside.stdout.trim()).toBe('X Y');
  });
});
