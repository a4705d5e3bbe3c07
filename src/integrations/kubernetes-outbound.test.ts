import { describe, expect, it } from 'vitest';
import { expectedAnswer } from './kubernetes-outbound.js';

const base = 'https://192.0.2.10:443';

describe('which Kubernetes answers are not failures', () => {
  it('a read or delete of one named object that is not there, a create of one that is', () => {
    for (const [method, path, status] of [
      ['GET', '/api/v1/namespaces/team-a/secrets/app', 404],
      ['DELETE', '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings/jit-1', 404],
      ['GET', '/api/v1/namespaces/team-a', 404],
      ['DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/break-glass-1', 404],
      ['GET', '/apis/apps/v1/namespaces/team-a/deployments/web/scale', 404],
      ['POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings', 409],
    ] as const)
      expect(expectedAnswer(method, `${base}${path}`, status), `${method} ${path} ${status}`).toBe(true);
  });

  it('a missing collection (no CRD), a refusal, a server error or a failed write stay failures', () => {
    for (const [method, path, status] of [
      ['GET', '/apis/bitnami.com/v1alpha1/namespaces/team-a/sealedsecrets', 404],
      ['GET', '/apis/argoproj.io/v1alpha1/applications', 404],
      ['GET', '/api/v1/namespaces', 404],
      ['GET', '/api/v1/namespaces/team-a/secrets/app', 403],
      ['GET', '/api/v1/namespaces/team-a/secrets/app', 500],
      ['PATCH', '/apis/apps/v1/namespaces/team-a/deployments/web', 404],
      ['PUT', '/api/v1/namespaces/team-a/secrets/app', 409],
      ['GET', '/version', 404],
    ] as const)
      expect(expectedAnswer(method, `${base}${path}`, status), `${method} ${path} ${status}`).toBe(false);
  });
});
