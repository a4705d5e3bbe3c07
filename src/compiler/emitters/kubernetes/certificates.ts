/**
 * The ACME ClusterIssuer every service Ingress names (`cert-manager.io/cluster-issuer: letsencrypt`): HTTP-01
 * through the environment's ingress controller, account mail to the DNS zone's SOA contact. cert-manager and
 * its CRDs come from Terraform's ingress module, before ArgoCD syncs this.
 */
import type { IClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import type { EnvironmentModel } from '../../model.js';
import type { KubeObject, Manifest } from './objects.js';
import { commonLabels } from './platform.js';
import { CLUSTER_ISSUER, INGRESS_CLASS } from './services.js';

export interface CertificateModels {
  ClusterIssuer: new (data: Omit<IClusterIssuer, 'apiVersion' | 'kind'>) => { toJSON(): unknown };
}

export const ACME_SERVER = 'https://acme-v02.api.letsencrypt.org/directory';

export function certificates(env: EnvironmentModel, lib: CertificateModels): Manifest[] {
  const issuer = new lib.ClusterIssuer({
    metadata: { name: CLUSTER_ISSUER, labels: commonLabels(env.name) },
    spec: {
      acme: {
        server: ACME_SERVER,
        email: env.network.dns.soaEmail,
        privateKeySecretRef: { name: `${CLUSTER_ISSUER}-account-key` },
        solvers: [{ http01: { ingress: { ingressClassName: INGRESS_CLASS } } }],
      },
    },
  });
  return [{ object: issuer.toJSON() as KubeObject, origin: env.network.dns.origin }];
}
