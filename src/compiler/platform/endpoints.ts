/** Endpoints of the flow model: a pod of the universe (or a stand-in), or an outside address. Pure. */
import type { Endpoint } from '../../traffic/evaluate.js';
import type { Pod, Universe } from '../../traffic/universe.js';

export const pod = (p: Pod): Endpoint => ({ kind: 'pod', pod: p });
export const external = (text: string): Endpoint => ({ kind: 'external', ip: ipOf(text), text });

function ipOf(text: string): { family: 4 | 6; value: bigint } {
  const parts = text.split('.').map(Number);
  return { family: 4, value: parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n) };
}

const index = new WeakMap<Universe, Map<string, Pod>>();

/** The pod of that name (first one wins, as in the evaluator's endpoints), or a stand-in with no labels. */
export function findPod(u: Universe, env: string, ns: string, name: string): Pod {
  let byName = index.get(u);
  if (!byName) {
    byName = new Map();
    for (const p of u.pods) {
      const key = `${p.env}/${p.namespace}/${p.name}`;
      if (!byName.has(key)) byName.set(key, p);
    }
    index.set(u, byName);
  }
  return (
    byName.get(`${env}/${ns}/${name}`) ?? { env, namespace: ns, name, labels: {}, ports: [], kind: 'any' }
  );
}
