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
