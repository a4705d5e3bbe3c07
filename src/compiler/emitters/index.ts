import type { Emitter } from './types.js';

/**
 * Every output target, in the order they run. Each is `{ name, emit(model, ctx) }` and pure; heavy ones
 * (cdk8s) load their libraries inside emit(), so only `envc compile` pays for them.
 */
export async function loadEmitters(): Promise<Emitter[]> {
  const emitters: Emitter[] = [
    (await import('./terraform/index.js')).terraformEmitter,
    // kubernetes + helm emitters (issue 4); cdk8s loads inside the kubernetes emitter's emit()
    (await import('./kubernetes/index.js')).kubernetesEmitter,
    (await import('./helm/index.js')).helmEmitter,
    (await import('./handoff/index.js')).handoffEmitter,
  ];
  return emitters;
}
