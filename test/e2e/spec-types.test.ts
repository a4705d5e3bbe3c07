import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { renderSpecTypes } from '../../scripts/gen-types.mjs';

describe('spec types', () => {
  it('src/compiler/spec.generated.ts is derived from the current schema (run `npm run gen:types`)', async () => {
    const committed = readFileSync(new URL('../../src/compiler/spec.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await renderSpecTypes());
  });
});

describe('schema validator', () => {
  it('src/compiler/schema-validator.generated.js is compiled from the current schema (run `npm run gen:types`)', async () => {
    // @ts-expect-error plain ESM script without types
    const { renderValidator } = await import('../../scripts/gen-validator.mjs');
    const committed = readFileSync(
      new URL('../../src/compiler/schema-validator.generated.js', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(renderValidator());
  });
});
