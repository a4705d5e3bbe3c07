/** What a rotation needs and returns, and the target it rotates (one secret in one environment). */
import {
  type EnvironmentModel,
  environment,
  type Model,
  type SecretInstance,
  type SecretModel,
} from '../compiler/model.js';
import type { KubernetesApi } from '../integrations/kubernetes.js';
import type { LinodeApi } from '../integrations/linode.js';
import type { RotationRecord, Store } from '../store/types.js';
import type { RotationEvent, RotationEventSink, RotationTrigger } from './events.js';

export interface RotationDeps {
  store: Store;
  model: Model;
  now: () => Date;
  kube(env: string): Promise<KubernetesApi>;
  linode(): Promise<LinodeApi>;
  audit(d: { actor: string; env?: string; action: string; details?: Record<string, unknown> }): Promise<void>;
  events?: RotationEventSink;
  warn?(msg: string, fields?: Record<string, unknown>): void;
  /** Where the Sealed Secrets controller's service is (default: sealed-secrets/sealed-secrets-controller). */
  sealedSecrets?: { namespace: string; service: string };
  rolloutTimeoutMs?: number;
  pollIntervalMs?: number;
}

export type RotationOutcome =
  | { kind: 'success'; rotation: RotationRecord; message: string }
  | { kind: 'failure'; message: string; rotation?: RotationRecord }
  | { kind: 'error'; message: string; rotation?: RotationRecord };

export interface RotateInput {
  env: string;
  secret: string;
  actor: string;
  trigger: RotationTrigger;
  /** Continue an approved rotation request instead of starting a new record. */
  rotationId?: string;
}

export interface Target {
  env: EnvironmentModel;
  instance: SecretInstance;
  secret: SecretModel;
}

export function findTarget(model: Model, envName: string, secretName: string): Target | string {
  const env = environment(model, envName);
  if (!env) return `unknown environment "${envName}"`;
  const instance = env.secrets.find((s) => s.name === secretName);
  const secret = model.secrets.find((s) => s.name === secretName);
  if (!secret)
    return `unknown secret "${secretName}"; known: ${model.secrets.map((s) => s.name).join(', ') || 'none'}`;
  if (!instance) return `secret "${secretName}" is not used in ${envName}`;
  return { env, instance, secret };
}

export async function emit(deps: RotationDeps, e: RotationEvent): Promise<void> {
  if (!deps.events) return;
  try {
    await deps.events(e);
  } catch (err) {
    deps.warn?.('rotation event could not be delivered', { event: e.type, error: err });
  }
}
