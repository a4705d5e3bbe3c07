#!/usr/bin/env node
/**
 * Extracts the key paths a pinned Helm chart version reads — from its values.yaml, its templates'
 * `.Values.<path>` references, its Chart.yaml dependency conditions, and the same of the subcharts envc
 * configures — into test/fixtures/helm-charts/<release>.keys.json. Only key paths are stored (data, no chart
 * code). Run with local git mirrors of the charts' repositories:
 *
 *   node scripts/extract-chart-keys.mjs scripts/chart-key-sources.json <mirrors-dir>
 *
 * where the JSON lists { release, chart, version, licence, sources: [{ repo, mirror, ref, path, prefix }] } and
 * <mirrors-dir>/<mirror>/repo is a git clone of `repo` (any clone holding `ref`).
 * `free` lists paths under which any key is accepted: defaults that are null or {} (maps the chart passes
 * through) and values the templates render whole (toYaml/tpl/toJson of `.Values.<path>`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const git = (dir, ...args) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

/** One path segment: dots inside a key (`grafana.ini`, `server.insecure`) are escaped, so paths stay unambiguous. */
const seg = (k) => String(k).replaceAll('.', '\\.');

function walk(value, prefix, keys, free) {
  if (value === null || value === undefined) {
    if (prefix) free.add(prefix);
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    if (prefix) free.add(prefix); // a scalar or list default: what is given replaces it whole
    return;
  }
  const entries = Object.entries(value);
  if (entries.length === 0 && prefix) free.add(prefix);
  for (const [k, v] of entries) {
    const p = prefix ? `${prefix}.${seg(k)}` : seg(k);
    keys.add(p);
    walk(v, p, keys, free);
  }
}

function addWithPrefixes(path, keys) {
  const parts = path.split('.');
  for (let i = 1; i <= parts.length; i++) keys.add(parts.slice(0, i).join('.'));
}

function hasFile(src, name) {
  try {
    git(src.gitDir, 'cat-file', '-e', `${src.ref}:${src.path}/${name}`);
    return true;
  } catch {
    return false;
  }
}

/** A named template that renders a map it is given as YAML (so any key under that map is honoured). */
const rendersWhole = (defines, name) => /\btoYaml\b/.test(defines.get(name) ?? '');

function extract(src, keys, free) {
  const pre = src.prefix ? `${src.prefix}.` : '';
  const values = parse(git(src.gitDir, 'show', `${src.ref}:${src.path}/values.yaml`));
  const sub = new Set();
  const subFree = new Set();
  walk(values, '', sub, subFree);
  for (const k of sub) keys.add(pre + k);
  for (const f of subFree) free.add(pre + f);
  if (src.prefix) keys.add(src.prefix);
  const files = git(src.gitDir, 'ls-tree', '-r', '--name-only', src.ref, `${src.path}/templates`)
    .split('\n')
    .filter((f) => /\.(ya?ml|tpl|txt)$/.test(f));
  // Named templates (`define "name"` … up to the next define): which render their argument with toYaml.
  const defines = new Map();
  for (const f of files) {
    const text = git(src.gitDir, 'show', `${src.ref}:${f}`);
    const starts = [...text.matchAll(/{{-?\s*define\s+"([^"]+)"/g)];
    for (const [i, d] of starts.entries())
      defines.set(d[1], text.slice(d.index, starts[i + 1]?.index ?? text.length));
  }
  // values.yaml too: some charts keep their config template there (loki's `loki.config`, rendered with tpl).
  for (const f of [...files, `${src.path}/values.yaml`]) {
    const text = git(src.gitDir, 'show', `${src.ref}:${f}`);
    for (const m of text.matchAll(/\.Values\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)/g))
      addWithPrefixes(pre + m[1], keys);
    const P = '([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)';
    // Rendered whole: toYaml/tpl/toJson of a value, a `range` over it, omit/merge of it, or a `with` block
    // that renders `.` with toYaml.
    for (const re of [
      new RegExp(
        `(?:toYaml|tpl|toJson|toPrettyJson|omit|deepCopy|merge|mergeOverwrite)\\s*\\(?\\s*\\.Values\\.${P}`,
        'g',
      ),
      new RegExp(`range\\s+[^}]*?\\.Values\\.${P}`, 'g'),
      new RegExp(
        `with\\s+\\.Values\\.${P}\\s*-?}}[\\s\\S]{0,300}?(?:toYaml\\s+\\.|\\.\\s*\\|\\s*toYaml)`,
        'g',
      ),
    ])
      for (const m of text.matchAll(re)) free.add(pre + m[1]);
    // Passed whole to a named template that renders it: `include "t" (dict "k" .Values.<path> …)` where the
    // template's body renders with toYaml (redis-ha's containerSecurityContext through
    // compatibility.renderSecurityContext).
    for (const m of text.matchAll(
      new RegExp(`include\\s+"([^"]+)"\\s+\\(\\s*dict\\s+"[^"]+"\\s+\\.Values\\.${P}`, 'g'),
    ))
      if (rendersWhole(defines, m[1])) free.add(pre + m[2]);
    // `index .Values "a" "b.c"`: keys with dots or dashes, read by index.
    for (const m of text.matchAll(/index\s+\.Values((?:\s+"[^"]+")+)/g)) {
      const path = [...m[1].matchAll(/"([^"]+)"/g)].map((x) => seg(x[1])).join('.');
      addWithPrefixes(pre + path, keys);
      free.add(pre + path);
    }
  }
  const chartFile = ['Chart.yaml', 'Chart.template.yaml'].find((n) => files.length >= 0 && hasFile(src, n));
  const chart = chartFile ? parse(git(src.gitDir, 'show', `${src.ref}:${src.path}/${chartFile}`)) : {};
  for (const d of chart.dependencies ?? [])
    for (const c of String(d.condition ?? '')
      .split(',')
      .filter(Boolean))
      addWithPrefixes(pre + c.trim(), keys);
  return git(src.gitDir, 'rev-parse', `${src.ref}^{commit}`).trim();
}

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const mirrors = process.argv[3] ?? '.';
for (const c of config) for (const s of c.sources) s.gitDir = join(mirrors, s.mirror, 'repo');
for (const c of config) {
  const keys = new Set();
  const free = new Set(['global']);
  const sources = c.sources.map((s) => ({
    repository: s.repo,
    ref: s.ref,
    path: s.path,
    ...(s.prefix ? { prefix: s.prefix } : {}),
    commit: extract(s, keys, free),
  }));
  const out = {
    release: c.release,
    chart: c.chart,
    version: c.version,
    licence: c.licence,
    note: 'Key paths only (no chart code), extracted by scripts/extract-chart-keys.mjs from the sources below.',
    sources,
    keys: [...keys].sort(),
    free: [...free].sort(),
  };
  writeFileSync(
    join(config.outDir ?? 'test/fixtures/helm-charts', `${c.release}.keys.json`),
    `${JSON.stringify(out, null, 1)}\n`,
  );
  console.log(`${c.release} ${c.version}: ${keys.size} keys, ${free.size} free`);
}
