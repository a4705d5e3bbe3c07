import { describe, expect, it } from 'vitest';
import { podSpecOf, restrictedViolations } from '../../../../test/support/k8s-validate.js';
import { emitDefault } from './test-helpers.js';

type Deployment = {
  metadata: { annotations?: Record<string, string> };
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        containers: Array<{
          image: string;
          livenessProbe: { httpGet: { path: string; port: number } };
          readinessProbe: { httpGet: { path: string } };
          volumeMounts: Array<{ mountPath: string }>;
        }>;
        serviceAccountName: string;
        automountServiceAccountToken: boolean;
      };
    };
  };
};

describe('services', () => {
  it('writes each kind of a service to its own file', async () => {
    const { files } = await emitDefault();
    const prod = files
      .filter((f) => f.path.startsWith('kubernetes/production/services/sample-service/'))
      .map((f) => f.path.split('/').pop());
    expect(prod).toEqual([
      'deployment.yaml',
      'hpa.yaml',
      'ingress.yaml',
      'pdb.yaml',
      'service.yaml',
      'serviceaccount.yaml',
      'servicemonitor.yaml',
    ]);
    // The HPA exists only where the spec asks for autoscaling.
    expect(files.some((f) => f.path === 'kubernetes/staging/services/sample-service/hpa.yaml')).toBe(false);
  });

  it('passes the restricted Pod Security Standard, with requests, limits and probes on the health path', async () => {
    const { all } = await emitDefault();
    const deployments = ['development', 'staging', 'production'].flatMap((e) => all('Deployment', e));
    expect(deployments).toHaveLength(3);
    for (const d of deployments) {
      expect(restrictedViolations(podSpecOf(d)!)).toEqual([]);
      const c = (d as unknown as Deployment).spec.template.spec.containers[0]!;
      expect(c.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 8080 });
      expect(c.readinessProbe.httpGet.path).toBe('/healthz');
    }
    // The checker itself notices a violation.
    const bad = structuredClone(podSpecOf(deployments[0]!)!);
    bad.containers[0]!.securityContext!.allowPrivilegeEscalation = true;
    delete bad.containers[0]!.securityContext!.capabilities;
    expect(restrictedViolations(bad)).toEqual([
      'container app does not set allowPrivilegeEscalation: false',
      'container app does not drop ALL capabilities',
    ]);
  });

  it('selects pods on its own label (no cdk8s address label) and leaves replicas to the HPA where one exists', async () => {
    const { find } = await emitDefault();
    const prod = find('Deployment', 'sample-service', 'team-a', 'production') as unknown as Deployment;
    const staging = find('Deployment', 'sample-service', 'team-a', 'staging') as unknown as Deployment;
    expect(prod.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'sample-service' });
    expect(Object.keys(prod.spec.template.metadata.labels).some((k) => k.startsWith('cdk8s.io'))).toBe(false);
    expect(prod.spec.replicas).toBeUndefined();
    expect(staging.spec.replicas).toBe(2);
    const svc = find('Service', 'sample-service', 'team-a', 'production') as unknown as {
      spec: { selector: Record<string, string> };
    };
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'sample-service' });
    expect(prod.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(prod.spec.template.spec.serviceAccountName).toBe('sample-service');
  });

  it('mounts its secrets and data-service connection Secrets read-only', async () => {
    const { find } = await emitDefault();
    const prod = find('Deployment', 'sample-service', 'team-a', 'production') as unknown as Deployment;
    const mounts = prod.spec.template.spec.containers[0]!.volumeMounts.map((m) => m.mountPath);
    expect(mounts).toEqual([
      '/tmp',
      ...['app-db', 'objstore-key', 'postgres-connection', 'redis-credentials', 'session-key'].map(
        (s) => `/var/run/secrets/envc/${s}`,
      ),
    ]);
    // development declares no database-credentials secret: only the connection Secret Terraform writes
    // there is mounted, never a Secret nobody writes (a missing secret volume keeps the pod from starting).
    const dev = find('Deployment', 'sample-service', 'team-a', 'development') as unknown as Deployment;
    expect(dev.spec.template.spec.containers[0]!.volumeMounts.map((m) => m.mountPath)).toEqual([
      '/tmp',
      ...['objstore-key', 'postgres-connection', 'redis-credentials', 'session-key'].map(
        (s) => `/var/run/secrets/envc/${s}`,
      ),
    ]);
  });

  it('serves TLS on the spec host through the nginx class and cert-manager', async () => {
    const { find } = await emitDefault();
    const ing = find('Ingress', 'sample-service', 'team-a', 'production') as unknown as {
      metadata: { annotations: Record<string, string> };
      spec: {
        ingressClassName: string;
        tls: Array<{ hosts: string[]; secretName: string }>;
        rules: Array<{
          host: string;
          http: {
            paths: Array<{ path: string; backend: { service: { name: string; port: { number: number } } } }>;
          };
        }>;
      };
    };
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    expect(ing.spec.tls).toEqual([{ hosts: ['sample.acme.example'], secretName: 'sample-service-tls' }]);
    expect(ing.spec.rules[0]!.host).toBe('sample.acme.example');
    expect(ing.spec.rules[0]!.http.paths[0]!.backend.service).toEqual({
      name: 'sample-service',
      port: { number: 8080 },
    });
    const dev = find('Ingress', 'sample-service', 'team-a', 'development') as unknown as {
      spec: { rules: Array<{ host: string }> };
    };
    expect(dev.spec.rules[0]!.host).toBe('sample.dev.acme.example');
  });

  it('scrapes the metrics port and keeps one pod per eviction', async () => {
    const { find } = await emitDefault();
    const sm = find('ServiceMonitor', 'sample-service', 'team-a', 'staging') as unknown as {
      spec: { endpoints: Array<{ port: string; path: string }> };
    };
    expect(sm.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    const pdb = find('PodDisruptionBudget', 'sample-service', 'team-a', 'staging') as unknown as {
      spec: Record<string, unknown>;
    };
    expect(pdb.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'sample-service' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });
});
