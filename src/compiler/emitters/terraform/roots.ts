/**
 * The two Terraform roots of an environment and how the runner chains them (docs/adr/0009):
 * `cluster` (Linode account resources: firewall, DNS, NodeBalancer, LKE, managed database) and `platform`
 * (what runs in the cluster: Helm releases, Secrets, ArgoCD registration). The platform root never reads a
 * state: the runner passes it the cluster root's credential-free `published` output as TF_VAR_cluster, and the
 * cluster credentials are read from the Linode API at run time. Nothing crosses environments through state
 * (each environment's key reaches its own bucket only, docs/adr/0017): another environment's cluster is
 * found by its label in the Linode API. `phases.json` is that contract, read by the
 * runner (src/runner/phases.ts) and by the bring-up model.
 */
import type { EnvironmentModel, Model } from '../../model.js';
import { generatedHeader } from '../types.js';

export type PhaseName = 'cluster' | 'platform';

/**
 * Where a platform-root variable comes from: an `output` of a root of the SAME environment the runner applied
 * before (read with that environment's state key), or — across environments, where a state key must not
 * reach — an LKE cluster's id looked up by its label in the Linode API at run time (`lkeCluster`, passed as
 * `{ cluster_id }`). `environment`/`phase` still name the root that must exist first (bring-up order).
 */
export type PhaseInput =
  | { environment: string; phase: PhaseName; output: string }
  | { environment: string; phase: PhaseName; lkeCluster: string };

export interface PhaseSpec {
  name: PhaseName;
  /** Directory of the root, relative to the environment's directory. */
  dir: string;
  /** State object key of the root. */
  stateKey: string;
  /** TF_VAR_<name> the runner sets from earlier roots' outputs. */
  inputs: Record<string, PhaseInput>;
}

export interface PhasesFile {
  '//': string;
  environment: string;
  phases: PhaseSpec[];
}

/** `<keyPrefix>/<env>/terraform.tfstate` (cluster root) and `<keyPrefix>/<env>/platform/terraform.tfstate`. */
export function stateKey(model: Model, env: string, phase: PhaseName = 'cluster'): string {
  return phase === 'cluster'
    ? `${model.stateBackend.keyPrefix}/${env}/terraform.tfstate`
    : `${model.stateBackend.keyPrefix}/${env}/platform/terraform.tfstate`;
}

export function phasesOf(model: Model, env: EnvironmentModel, argocdHost?: EnvironmentModel): PhasesFile {
  const inputs: Record<string, PhaseInput> = {
    cluster: { environment: env.name, phase: 'cluster', output: 'published' },
  };
  if (env.dataServices.postgres)
    inputs.postgres_ca = { environment: env.name, phase: 'cluster', output: 'postgres_ca' };
  if (argocdHost && argocdHost.name !== env.name)
    inputs.argocd_cluster = {
      environment: argocdHost.name,
      phase: 'cluster',
      lkeCluster: argocdHost.cluster.label,
    };
  return {
    '//': generatedHeader('#').slice(2).trimEnd(),
    environment: env.name,
    phases: [
      { name: 'cluster', dir: 'cluster', stateKey: stateKey(model, env.name, 'cluster'), inputs: {} },
      { name: 'platform', dir: 'platform', stateKey: stateKey(model, env.name, 'platform'), inputs },
    ],
  };
}
