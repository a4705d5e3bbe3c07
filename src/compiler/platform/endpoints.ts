/** Endpoints of the flow model: a pod of the universe (or a stand-in), or an outside address. Pure. */
import type { Endpoint } from '../../traffic/evaluate.js';
import type { Pod, Universe } from '../../traffic/universe.js';

export const pod = (p: Pod): Endpoint => ({ kind: 'pod', pod: p });
export const external = (text: string): Endpoint => ({ kind: 'external', ip: ipOf(text), text });

function ipOf(text: string): { family: 4 | 6; value: bigint } {
  const parts = text.split('.').map(Number);
  return { family: 4, value: parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n) };
}

export function findPod(u: Universe, env: string, ns: string, name: string): Pod {
  return (
    u.pods.find((p) => p.env === env && p.namespace === ns && p.name === name) ?? {
      env,
      namespace: ns,
      name,
      labels: {},
      ports: [],
      kind: 'any',
    }
  );
}
