/**
 * The shipped spec's platform facts, compiled once per test file, and copy-on-write mutations of them:
 * each helper returns new facts with one element changed and leaves the original alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/compiler/diagnostics/diagnostic.js';
import { compileText } from '../../src/compiler/pipeline.js';
import { buildFacts, type EnvNetwork, type PlatformFacts } from '../../src/compiler/platform/facts.js';
import type { TfResource } from '../../src/compiler/platform/terraform.js';
import type { NetworkPolicy } from '../../src/traffic/universe.js';

export const SPEC_PATH = join(import.meta.dirname, '../../environments.yaml');
export const SPEC = readFileSync(SPEC_PATH, 'utf8');

export async function factsOf(text: string): Promise<PlatformFacts> {
  const r = await compileText(text, 'environments.yaml', { today: '2026-12-01' });
  if (!r.model || r.files.length === 0)
    throw new Error(
      `spec does not compile: ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`,
    );
  return buildFacts(r.model, r.files);
}

export function withNetwork(f: PlatformFacts, env: string, change: (net: EnvNetwork) => void): PlatformFacts {
  const network = new Map(f.network);
  const net = JSON.parse(JSON.stringify(network.get(env))) as EnvNetwork;
  change(net);
  network.set(env, net);
  return { ...f, network };
}

export function withPolicies(
  f: PlatformFacts,
  change: (p: NetworkPolicy[]) => NetworkPolicy[],
): PlatformFacts {
  return { ...f, universe: { ...f.universe, policies: change([...f.universe.policies]) } };
}

export function withValues(
  f: PlatformFacts,
  key: string,
  change: (v: Record<string, unknown>) => void,
): PlatformFacts {
  const values = new Map(f.values);
  const v = JSON.parse(JSON.stringify(values.get(key) ?? {})) as Record<string, unknown>;
  change(v);
  values.set(key, v);
  return { ...f, values };
}

/** Copies the roots (resources and their deps) so one resource can be changed. */
export function withResources(
  f: PlatformFacts,
  change: (r: TfResource, env: string) => TfResource | undefined,
): PlatformFacts {
  return {
    ...f,
    roots: f.roots.map((root) => ({
      ...root,
      providers: root.providers.map((p) => ({ ...p, refs: [...p.refs] })),
      resources: root.resources
        .map((r) => change({ ...r, deps: [...r.deps] }, root.env))
        .filter((r): r is TfResource => r !== undefined),
    })),
  };
}

/** 1-based line of the first spec line containing `text` after the line containing `after`. */
export function lineOf(text: string, after?: string): number {
  const lines = SPEC.split('\n');
  const start = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, n) => n >= start && l.includes(text));
  if (i < 0) throw new Error(`no line with ${JSON.stringify(text)}`);
  return i + 1;
}

export const errors = (d: readonly Diagnostic[]) => d.filter((x) => x.severity === 'error');
