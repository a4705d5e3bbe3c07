/**
 * Seeds a local Kubernetes API with what envc's compiler generates for the bot in one environment: the
 * `envc-bot` namespace and ServiceAccount, the access packages and the bot's Roles and bindings
 * (compiler/emitters/kubernetes/rbac.ts). Tests that connect as the bot (TokenRequest) then get exactly the
 * generated RBAC, no more.
 */
import { rbac } from '../../src/compiler/emitters/kubernetes/rbac.js';
import type { Model } from '../../src/compiler/model.js';
import type { FakeKubernetes, K8sObject } from './kubernetes-api.js';

export async function seedBotRbac(k: FakeKubernetes, model: Model, envName: string): Promise<void> {
  const env = model.environments.find((e) => e.name === envName);
  if (!env) throw new Error(`no environment ${envName} in the model`);
  const objects = rbac(model, env).map((m) => m.object as unknown as K8sObject);
  const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n));
  for (const name of namespaces)
    if (!k.get('v1', 'Namespace', undefined, name))
      await k.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  for (const o of objects) await k.seed(o);
}
