import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { envc } from '../support/cli.js';
import { DEFAULT_SPEC_PATH } from '../support/model.js';

const schema = JSON.parse(
  readFileSync(new URL('../../schemas/handoff.schema.json', import.meta.url), 'utf8'),
);

describe('handoff sheets: envc compile and envc handoff', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'envc-handoff-'));
    copyFileSync(DEFAULT_SPEC_PATH, join(dir, 'environments.yaml'));
    expect(envc(['compile'], { cwd: dir }).code).toBe(0);
  });

  it('compile writes a JSON sheet and a README per environment, each JSON valid against the schema', () => {
    const files = readdirSync(join(dir, 'generated', 'handoff')).sort();
    expect(files).toEqual([
      'development.json',
      'development.md',
      'production.json',
      'production.md',
      'staging.json',
      'staging.md',
      'system.json',
      'system.md',
    ]);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const validate = ajv.compile(schema);
    for (const f of files.filter((n) => n.endsWith('.json'))) {
      const ok = validate(JSON.parse(readFileSync(join(dir, 'generated', 'handoff', f), 'utf8')));
      expect(ok ? [] : validate.errors, f).toEqual([]);
    }
  });

  it('`envc handoff <env> --json` prints exactly the compiled sheet; the default is its Markdown', () => {
    for (const env of ['development', 'staging', 'production', 'system']) {
      const json = envc(['handoff', env, '--json'], { cwd: dir });
      expect(json.code).toBe(0);
      expect(json.stdout).toBe(readFileSync(join(dir, 'generated', 'handoff', `${env}.json`), 'utf8'));
      const md = envc(['handoff', env], { cwd: dir });
      expect(md.stdout).toBe(readFileSync(join(dir, 'generated', 'handoff', `${env}.md`), 'utf8'));
    }
  });

  it('the manifest maps the sheets back to the spec', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'generated', 'manifest.json'), 'utf8')) as {
      files: Record<string, unknown>;
    };
    expect(Object.keys(manifest.files)).toEqual(
      expect.arrayContaining(['handoff/production.json', 'handoff/production.md']),
    );
    expect(JSON.stringify(manifest.files['handoff/production.json'])).toContain('environments.production');
  });

  it('names an unknown environment with a suggestion and exits 64; a missing argument too', () => {
    const r = envc(['handoff', 'prod'], { cwd: dir });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('did you mean "production"?');
    expect(envc(['handoff'], { cwd: dir }).code).toBe(64);
  });
});
