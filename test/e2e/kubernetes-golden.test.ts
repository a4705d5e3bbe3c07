/**
 * Golden files: the Kubernetes manifests and Helm values of the default spec are the committed
 * generated/kubernetes and generated/helm trees (test/golden/README.md), compared as whole trees (a missing or
 * an extra file fails). After an intended change: `UPDATE_GOLDEN=1 npx vitest run
 * test/e2e/kubernetes-golden.test.ts` regenerates generated/ with the real compile; then read its diff by eye.
 */
import { describe, expect, it } from 'vitest';
import { emitHelm } from '../../src/compiler/emitters/helm/index.js';
import { emitKubernetes, loadKubernetesLibs } from '../../src/compiler/emitters/kubernetes/index.js';
import {
  committedFiles,
  describeDiff,
  diffWithGenerated,
  updateGoldenIfAsked,
} from '../golden/generated-tree.js';
import { defaultModel } from '../support/model.js';

describe('golden: kubernetes manifests and helm values of the default spec', () => {
  it('match the committed generated/kubernetes and generated/helm, file for file', async () => {
    updateGoldenIfAsked();
    const model = await defaultModel();
    const files = [...emitKubernetes(model, await loadKubernetesLibs()).files, ...emitHelm(model)];
    const diff = diffWithGenerated(files, ['kubernetes', 'helm']);
    expect(diff, describeDiff(diff)).toEqual({ missing: [], extra: [], changed: [] });
    // The comparison is real: the trees are there and a changed byte, a lost or a stray file would show.
    expect(committedFiles('kubernetes').length).toBeGreaterThan(40);
    expect(committedFiles('helm')).toContain('helm/values/production/redis.yaml');
    const [first, ...rest] = files;
    expect(
      diffWithGenerated([{ ...first!, content: `${first!.content}\n` }, ...rest], ['kubernetes', 'helm']),
    ).toEqual({ missing: [], extra: [], changed: [first!.path] });
    expect(diffWithGenerated(rest, ['kubernetes', 'helm']).extra).toEqual([first!.path]);
    expect(
      diffWithGenerated(
        [...files, { path: 'helm/values/production/stray.yaml', content: '' }],
        ['kubernetes', 'helm'],
      ).missing,
    ).toEqual(['helm/values/production/stray.yaml']);
  });
});
