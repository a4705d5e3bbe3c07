import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { renderShort } from '../../src/cli/render-diagnostics.js';
import { hasErrors } from '../../src/compiler/diagnostics/diagnostic.js';
import type { Model } from '../../src/compiler/model.js';
import { buildModelFromText } from '../../src/compiler/pipeline.js';

/** Fixed date so waiver expiry in tests never depends on the day the suite runs. */
export const TEST_TODAY = '2026-11-26';

export const DEFAULT_SPEC_PATH = fileURLToPath(new URL('../../environments.yaml', import.meta.url));

export function defaultSpecText(): string {
  return readFileSync(DEFAULT_SPEC_PATH, 'utf8');
}

let cached: Promise<Model> | undefined;

/** The model of the shipped environments.yaml. Each call gets its own deep copy (tests may mutate it). */
export async function defaultModel(): Promise<Model> {
  cached ??= modelFromText(defaultSpecText());
  return structuredClone(await cached);
}

/** Builds a model from spec text; throws with the diagnostics when the spec is invalid. */
export async function modelFromText(text: string, file = 'environments.yaml'): Promise<Model> {
  const r = buildModelFromText(text, file, { today: TEST_TODAY });
  if (!r.model || hasErrors(r.diagnostics)) {
    throw new Error(`spec is invalid:\n${r.diagnostics.map(renderShort).join('\n')}`);
  }
  return r.model;
}

/** Builds a model from a spec object (serialized to YAML first, so origins point at real lines). */
export async function modelFromSpec(spec: object): Promise<Model> {
  return modelFromText(stringify(spec));
}

/** The default spec as a plain object, for tests that tweak one field. */
export function defaultSpecObject(): Record<string, unknown> {
  // Parsed fresh each time: callers mutate it.
  return (buildModelFromText(defaultSpecText(), 'environments.yaml', { today: TEST_TODAY }).source?.data ??
    {}) as Record<string, unknown>;
}
