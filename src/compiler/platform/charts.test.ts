import { describe, expect, it } from 'vitest';
import { valuesNeeds } from './charts.js';

describe('valuesNeeds', () => {
  it('finds enabled custom resources and the Secrets values point at, with their paths', () => {
    const n = valuesNeeds({
      controller: { metrics: { serviceMonitor: { enabled: true }, prometheusRule: { enabled: false } } },
      prometheus: { servicemonitor: { enabled: true } },
      metrics: { podMonitor: { create: true } },
      grafana: { admin: { existingSecret: 'grafana-admin', existingSecretPasswordKey: 'password' } },
      alertmanager: { alertmanagerSpec: { secrets: ['alertmanager-slack'] } },
      other: { secrets: ['not-a-secret-list'] },
    });
    expect(n.kinds).toEqual([
      { kind: 'ServiceMonitor', path: 'controller.metrics.serviceMonitor' },
      { kind: 'ServiceMonitor', path: 'prometheus.servicemonitor' },
      { kind: 'PodMonitor', path: 'metrics.podMonitor' },
    ]);
    expect(n.secrets).toEqual([
      { name: 'grafana-admin', path: 'grafana.admin.existingSecret' },
      { name: 'alertmanager-slack', path: 'alertmanager.alertmanagerSpec.secrets[0]' },
    ]);
  });
});
