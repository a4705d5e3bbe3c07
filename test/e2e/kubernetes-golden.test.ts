/**
 * Golden files: the Kubernetes manifests and Helm values of the default spec, compared as a whole tree
 * (a missing or an extra file fails). After an intended change: `UPDATE_GOLDEN=1 npx vitest run
 * test/e2e/kubernetes-golden.test.ts`, then read the diff of test/golden/kubernetes by eye.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emitHelm } from '../../src/compiler/emitters/helm/index.js';
import { emitKubernetes, loadKubernetesLibs } from '../../src/compiler/emitters/kubernetes/index.js';
import { defaultModel } from '../support/model.js';

const GOLDEN = fileURLToPath(new URL('../golden/kubernetes', import.meta.url));

function listFiles(dir: string): string[] {
  let out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(listFiles(p));
    else out.push(relative(GOLDEN, p).split(sep).join('/'));
  }
  return out.sort();
}

describe('golden: kubernetes manifests and helm values of the default spec', () => {
  it('matches test/golden/kubernetes file for file', async () => {
    const model = await defaultModel();
    const files = [...emitKubernetes(model, await loadKubernetesLibs()).files, ...emitHelm(model)].sort(
      (a, b) => (a.path < b.path ? -1 : 1),
    );
    if (process.env.UPDATE_GOLDEN === '1') {
      rmSync(GOLDEN, { recursive: true, force: true });
      for (const f of files) {
        mkdirSync(dirname(join(GOLDEN, f.path)), { recursive: true });
        writeFileSync(join(GOLDEN, f.path), f.content);
      }
    }
    expect(listFiles(GOLDEN)).toEqual(files.map((f) => f.path));
    for (const f of files)
      expect(f.content, `${f.path} differs from its golden file; UPDATE_GOLDEN=1 rewrites it`).toBe(
        readFileSync(join(GOLDEN, f.path), 'utf8'),
      );
  });
});
