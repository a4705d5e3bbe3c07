import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { describe, expect, it } from 'vitest';
import {
  bindingName,
  bindingRef,
  grantBindings,
  grantKey,
  grantOfBinding,
  isGrantBinding,
  parseBindingRef,
} from './bindings.js';

const spec = {
  id: '0f0e5bb6-2c57-4d59-9d8c-3a9a3d3c1e01',
  env: 'production',
  policy: 'view',
  scope: 'namespace' as const,
  namespaces: ['team-b', 'team-a'],
  clusterRole: 'envc:view',
  user: 'alice@acme.example',
  requester: 'U0ALICE',
  approvers: ['U0BOB'],
  reason: 'debug INC-123',
  expiresAt: new Date('2026-11-26T12:00:00Z'),
};

describe('grant bindings', () => {
  it('one valid RoleBinding per namespace, labelled with the grant and annotated with the expiry', () => {
    const objs = grantBindings(spec);
    expect(objs.map((o) => o.metadata.namespace)).toEqual(['team-a', 'team-b']);
    for (const o of objs) {
      new RoleBinding(o as never).validate();
      expect(o.metadata.name).toBe(`envc-grant-${spec.id}`);
      expect(o.metadata.labels?.['envc.io/grant']).toBe(spec.id);
      expect(o.metadata.labels?.['envc.io/access-policy']).toBe('view');
      expect(o.metadata.annotations?.['envc.io/expires-at']).toBe('2026-11-26T12:00:00.000Z');
      expect(o.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'envc:view',
      });
      expect(o.subjects).toEqual([
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@acme.example' },
      ]);
    }
    expect(objs.map(bindingRef)).toEqual([
      `RoleBinding/team-a/envc-grant-${spec.id}`,
      `RoleBinding/team-b/envc-grant-${spec.id}`,
    ]);
  });

  it('a ClusterRoleBinding for a cluster-scoped policy', () => {
    const [crb, ...rest] = grantBindings({
      ...spec,
      scope: 'cluster',
      namespaces: [],
      clusterRole: 'envc:break-glass',
      approvers: [],
    });
    expect(rest).toEqual([]);
    new ClusterRoleBinding(crb as never).validate();
    expect(crb?.metadata.namespace).toBeUndefined();
    expect(crb?.metadata.annotations?.['envc.io/approved-by']).toBe('break-glass');
  });

  it('refs round-trip, and grant ids are recovered from labels, annotations or names', () => {
    expect(parseBindingRef('RoleBinding/team-a/x')).toEqual({
      kind: 'RoleBinding',
      namespace: 'team-a',
      name: 'x',
    });
    expect(parseBindingRef('ClusterRoleBinding/x')).toEqual({ kind: 'ClusterRoleBinding', name: 'x' });
    expect(parseBindingRef('Secret/x')).toBeUndefined();
    const [o] = grantBindings(spec);
    expect(grantOfBinding(o!)).toBe(spec.id);
    const handMade = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: bindingName('abc'), namespace: 'team-a' },
    };
    expect(isGrantBinding(handMade)).toBe(true);
    expect(grantOfBinding(handMade)).toBe('abc');
    expect(isGrantBinding({ ...handMade, metadata: { name: 'team-view', namespace: 'x' } })).toBe(false);
    expect(grantKey('ACC_12:34')).toBe('acc-12-34');
  });
});
