import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCliDocs } from '../../scripts/cli-docs.js';
// @ts-expect-error plain JavaScript module without types
import { readSchema, renderReference } from '../../scripts/gen-reference.mjs';
import { exitCodeTable } from '../../src/cli/exit-codes.js';
import { commands } from '../../src/cli/registry.js';

/**
 * Generated documentation must match its sources. A stale file fails with the command that fixes it;
 * ENVC_UPDATE_DOCS=1 rewrites the files instead (then review the diff).
 */
const update = process.env.ENVC_UPDATE_DOCS === '1';

function check(path: URL, fresh: string, fix: string): void {
  if (update) {
    writeFileSync(path, fresh);
    return;
  }
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {}
  expect(current === fresh, `${path.pathname.split('/work/main/').pop()} is stale; run \`${fix}\``).toBe(
    true,
  );
}

describe('docs/reference/environments.md', () => {
  const fresh: string = renderReference(readSchema());

  it('is up to date with schemas/environments.schema.json', () => {
    check(
      new URL('../../docs/reference/environments.md', import.meta.url),
      fresh,
      'node scripts/gen-reference.mjs',
    );
  });

  it('documents every top-level field, every environment field and every value type of the schema', () => {
    const schema = readSchema() as {
      properties: Record<string, unknown>;
      $defs: Record<string, { type?: string; properties?: Record<string, unknown> }>;
    };
    for (const key of Object.keys(schema.properties)) expect(fresh).toContain(`| \`${key}\` |`);
    for (const key of Object.keys(schema.$defs.environment!.properties!))
      expect(fresh).toContain(`| \`${key}\` |`);
    for (const [name, def] of Object.entries(schema.$defs))
      if (def.type !== 'object') expect(fresh).toContain(`### ${name}`);
    expect(fresh).toContain('## `environments.<name>.cluster.pools[]`');
  });

  it('changes when the schema changes (the check is not vacuous)', () => {
    const schema = readSchema() as { properties: { platform: { description: string } } };
    schema.properties.platform.description = 'A changed description.';
    expect(renderReference(schema)).not.toBe(fresh);
    expect(renderReference(schema)).toContain('A changed description.');
  });
});

describe('docs/cli.md', async () => {
  const fresh = await renderCliDocs();

  it('is up to date with the command registry and the exit codes', () => {
    check(
      new URL('../../docs/cli.md', import.meta.url),
      fresh,
      'ENVC_UPDATE_DOCS=1 npx vitest run test/e2e/docs-generated.test.ts',
    );
  });

  it('lists every command and every exit code', () => {
    for (const name of Object.keys(commands)) expect(fresh).toContain(`## envc ${name}\n`);
    for (const e of exitCodeTable) expect(fresh).toContain(`| ${e.code} | \`${e.name}\` |`);
  });
});
