/**
 * Every key envc writes into a release's values is one that release's pinned chart reads: its values.yaml, its
 * templates' `.Values.*`, its dependency conditions, or a place the chart passes through whole (a null/{} or
 * scalar default, or a value it renders with toYaml/tpl). Helm silently ignores any other key, so a typo or a
 * key a chart upgrade renamed would ship a setting that does nothing. The key sets are data extracted from the
 * charts' sources (test/fixtures/helm-charts/*.keys.json, see scripts/extract-chart-keys.mjs), one per
 * release, for exactly the version terraform/versions.ts pins.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitHelm } from '../../src/compiler/emitters/helm/index.js';
import { CHARTS, VALUES_FILE_RELEASES } from '../../src/compiler/emitters/terraform/versions.js';
import { defaultModel } from '../support/model.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/helm-charts');

interface KeySet {
  release: string;
  version: string;
  licence: string;
  sources: Array<{ repository: string; ref: string; commit: string }>;
  keys: string[];
  free: string[];
}

function load(release: string): KeySet {
  return JSON.parse(readFileSync(join(FIXTURES, `${release}.keys.json`), 'utf8')) as KeySet;
}

/**
 * Key paths of a values document: every map key, dot-joined with dots inside a key escaped (`grafana\.ini`),
 * as in the fixtures. Lists end a path: their items replace the default whole.
 */
function valuePaths(v: unknown, prefix = ''): string[] {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => {
    const key = k.replaceAll('.', '\\.');
    const p = prefix ? `${prefix}.${key}` : key;
    return [p, ...valuePaths(x, p)];
  });
}

/** Paths Helm would ignore: neither a known key nor under a place the chart takes whole. */
function ignoredPaths(values: unknown, set: Pick<KeySet, 'keys' | 'free'>): string[] {
  const keys = new Set(set.keys);
  const free = set.free;
  const under = (p: string) => free.some((f) => p.startsWith(`${f}.`));
  return valuePaths(values).filter((p) => !keys.has(p) && !under(p));
}

describe('helm values keys against the pinned charts', () => {
  it('has one key set per values-file release, for the pinned version, with its source and licence', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.keys.json'));
    expect(files.map((f) => f.replace('.keys.json', '')).sort()).toEqual([...VALUES_FILE_RELEASES].sort());
    for (const r of VALUES_FILE_RELEASES) {
      const set = load(r);
      expect(set.version, r).toBe(CHARTS[r].version);
      expect(set.licence, r).toMatch(/Apache-2\.0/);
      expect(set.sources.length, r).toBeGreaterThan(0);
      for (const s of set.sources) expect(s.commit, r).toMatch(/^[0-9a-f]{40}$/);
      expect(set.keys.length, r).toBeGreaterThan(50);
    }
  });

  it('writes no key any pinned chart would ignore, in any environment', async () => {
    const files = emitHelm(await defaultModel());
    expect(files.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const f of files) {
      const release = f.path.split('/').pop()!.replace('.yaml', '');
      for (const p of ignoredPaths(parse(f.content), load(release))) problems.push(`${f.path}: ${p}`);
    }
    expect(problems).toEqual([]);
  });

  it('catches a misspelt or renamed key (the check can fail)', () => {
    const set = load('kube-prometheus-stack');
    expect(ignoredPaths({ prometheus: { prometheusSpec: { retention: '7d' } } }, set)).toEqual([]);
    expect(ignoredPaths({ prometheus: { prometheusSpec: { retension: '7d' } } }, set)).toEqual([
      'prometheus.prometheusSpec.retension',
    ]);
    // promtail's `config.clients` is no key of the Alloy chart that replaced it.
    expect(ignoredPaths({ config: { clients: [] } }, load('alloy'))).toEqual(['config', 'config.clients']);
    // tempo 1.x's `tempo.retention` is still read by 2.x; a made-up sibling is not.
    expect(ignoredPaths({ tempo: { retention: '24h', retentionn: '1h' } }, load('tempo'))).toEqual([
      'tempo.retentionn',
    ]);
  });
});
