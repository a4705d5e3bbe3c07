/**
 * The stand-in's controllers: the Deployment controller (generation/observedGeneration, rollout status; a
 * Deployment can be told to crash-loop) and the Sealed Secrets controller (unseals with its key and the label
 * of the SealedSecret's scope, creates the Secret, reports `Synced=False` when it cannot decrypt).
 */

import { type Json, type K8sObject, keyOf, RESOURCES, type ResourceType } from './resources.js';
import { controllerLabel, unseal } from './sealing.js';
import { type Cluster, finalizeMeta, managedFieldsOf } from './state.js';

export function store(c: Cluster, r: ResourceType, obj: K8sObject): K8sObject {
  const key = keyOf(r, obj.metadata.namespace, obj.metadata.name);
  obj.metadata.managedFields = managedFieldsOf(c, key);
  c.objects.set(key, obj);
  if (r.kind === 'Deployment') {
    if (!obj.status) observeDeployment(c, key);
    else if ((obj.status as Json).observedGeneration !== obj.metadata.generation)
      c.pendingObservation.add(key);
  }
  if (r.kind === 'SealedSecret') runSealedSecretsController(c, obj);
  return obj;
}

export function observeDeployment(c: Cluster, key: string): void {
  const d = c.objects.get(key);
  if (!d) return;
  c.pendingObservation.delete(key);
  const replicas = ((d.spec as Json)?.replicas as number | undefined) ?? 1;
  const h = c.health.get(`${d.metadata.namespace}/${d.metadata.name}`) ?? 'healthy';
  const generation = d.metadata.generation ?? 1;
  const firstRollout = generation <= 1;
  d.status =
    h === 'healthy' || firstRollout
      ? {
          observedGeneration: generation,
          replicas,
          updatedReplicas: replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
          conditions: [
            { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
            { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
          ],
        }
      : {
          // The new ReplicaSet's pod crashes; the old pods keep serving (maxUnavailable 0 in envc's output).
          observedGeneration: generation,
          replicas: replicas + 1,
          updatedReplicas: 1,
          readyReplicas: replicas,
          availableReplicas: replicas,
          unavailableReplicas: 1,
          conditions: [
            { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: `ReplicaSet "${d.metadata.name}" has timed out progressing.`,
            },
          ],
        };
  d.metadata.resourceVersion = String(++c.rv);
}

export function runSealedSecretsController(c: Cluster, ss: K8sObject): void {
  if (!c.sealing) return;
  const ns = ss.metadata.namespace as string;
  const name = ss.metadata.name;
  const label = controllerLabel(ss.metadata.annotations, ns, name);
  const enc = ((ss.spec as Json)?.encryptedData ?? {}) as Record<string, string>;
  const data: Record<string, string> = {};
  let error: string | undefined;
  for (const [k, v] of Object.entries(enc)) {
    try {
      data[k] = Buffer.from(unseal(c.sealing.privateKeyPem, label, v), 'utf8').toString('base64');
    } catch {
      error = 'no key could decrypt secret (' + k + ')';
      break;
    }
  }
  ss.status = {
    observedGeneration: ss.metadata.generation,
    conditions: [
      error
        ? { type: 'Synced', status: 'False', reason: 'ErrUnsealFailed', message: error }
        : { type: 'Synced', status: 'True' },
    ],
  };
  if (error) return; // the controller leaves the existing Secret alone
  const secretType = RESOURCES.find((r) => r.kind === 'Secret') as ResourceType;
  const key = keyOf(secretType, ns, name);
  const prev = c.objects.get(key);
  const template = ((ss.spec as Json)?.template ?? {}) as { metadata?: Json; type?: string };
  const secret: K8sObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: ns,
      labels: { ...((template.metadata?.labels as Record<string, string>) ?? {}) },
      ownerReferences: [
        {
          apiVersion: 'bitnami.com/v1alpha1',
          kind: 'SealedSecret',
          name,
          uid: ss.metadata.uid,
          controller: true,
        },
      ],
    },
    type: template.type ?? 'Opaque',
    data,
  };
  finalizeMeta(c, secretType, secret, prev);
  c.objects.set(key, secret);
}

export function respondThenObserve(c: Cluster, key: string): { status: number; body: unknown } {
  const o = c.objects.get(key) as K8sObject;
  const snapshot = structuredClone(o);
  observeDeployment(c, key);
  return { status: 200, body: snapshot };
}
