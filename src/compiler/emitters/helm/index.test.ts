import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultModel, defaultSpecObject, modelFromSpec } from '../../../../test/support/model.js';
import { COMPONENTS } from '../kubernetes/platform.js';
import { VALUES_FILE_RELEASES } from '../terraform/versions.js';
import { emitHelm, helmReleasesFor, RELEASES } from './index.js';

// biome-ignore lint/suspicious/noExplicitAny: chart values of any shape, read by path in assertions
type V = Record<string, any>;

async function valuesOf(spec?: object) {
  const model = spec ? await modelFromSpec(spec) : await defaultModel();
  const files = emitHelm(model);
  return {
    model,
    files,
    values: (env: string, release: string) =>
      parse(files.find((f) => f.path === `helm/values/${env}/${release}.yaml`)!.content) as V,
  };
}

describe('helm values', () => {
  it('writes the releases the Terraform modules wire, under fixed paths', async () => {
    const { files, model } = await valuesOf();
    expect([...RELEASES].sort()).toEqual([...VALUES_FILE_RELEASES].sort());
    const paths = files.map((f) => f.path);
    for (const env of model.environments) {
      for (const r of helmReleasesFor(env)) expect(paths).toContain(`helm/values/${env.name}/${r}.yaml`);
    }
    // argo-cd only where ArgoCD runs; redis only where the environment declares it.
    expect(paths.filter((p) => p.endsWith('/argo-cd.yaml'))).toEqual(['helm/values/system/argo-cd.yaml']);
    expect(paths.filter((p) => p.endsWith('/redis.yaml'))).toEqual([
      'helm/values/development/redis.yaml',
      'helm/values/production/redis.yaml',
      'helm/values/staging/redis.yaml',
    ]);
    // The NVIDIA device plugin only where a GPU pool exists.
    expect(paths.filter((p) => p.endsWith('/nvidia-device-plugin.yaml'))).toEqual([
      'helm/values/production/nvidia-device-plugin.yaml',
    ]);
    expect(paths).toHaveLength(4 * 7 + 1 + 3 + 1);
    for (const f of files)
      expect(f.sources).toEqual([
        {
          resource: `helm:${f.path.split('/').pop()!.replace('.yaml', '')}`,
          origin: expect.objectContaining({
            file: 'environments.yaml',
            // Redis is sized from its own block, the add-ons from the environment's.
            path: f.path.endsWith('/redis.yaml')
              ? `environments.${f.path.split('/')[2]}.dataServices.redis`
              : `environments.${f.path.split('/')[2]}`,
          }),
        },
      ]);
  });

  it('takes retention from the spec, per environment', async () => {
    const spec = defaultSpecObject() as {
      environments: Record<string, { observability: Record<string, string> }>;
    };
    spec.environments.staging!.observability = {
      retention: '15d',
      logsRetention: '10d',
      tracesRetention: '3d',
    };
    const { values } = await valuesOf(spec);
    expect(values('production', 'kube-prometheus-stack').prometheus.prometheusSpec.retention).toBe('30d');
    expect(values('development', 'kube-prometheus-stack').prometheus.prometheusSpec.retention).toBe('7d');
    expect(values('staging', 'loki').loki.limits_config.retention_period).toBe('240h');
    expect(values('staging', 'tempo').tempo.retention).toBe('72h');
    // Production traces default to the shorter of retention and 7d.
    expect(values('production', 'tempo').tempo.retention).toBe('168h');
  });

  it('sizes production (and system) for HA and the rest for one replica', async () => {
    const { values } = await valuesOf();
    const prom = (e: string) => values(e, 'kube-prometheus-stack');
    expect(prom('production').prometheus.prometheusSpec.replicas).toBe(2);
    expect(prom('production').alertmanager.alertmanagerSpec.replicas).toBe(3);
    expect(prom('development').prometheus.prometheusSpec.replicas).toBe(1);
    expect(values('production', 'ingress-nginx').controller.replicaCount).toBe(3);
    expect(values('staging', 'ingress-nginx').controller.replicaCount).toBe(1);
    expect(values('production', 'cert-manager').replicaCount).toBe(2);
    expect(values('system', 'argo-cd')['redis-ha'].enabled).toBe(true);
    expect(prom('production').prometheus.prometheusSpec.resources.requests.memory).toBe('4Gi');
    expect(values('production', 'ingress-nginx').controller.topologySpreadConstraints).toHaveLength(1);
  });

  it('labels logs with the environment and parses the bot’s audit lines with actor and environment', async () => {
    const { values } = await valuesOf();
    const v = values('system', 'alloy');
    const cfg: string = v.alloy.configMap.content;
    expect(cfg).toContain('external_labels = { environment = "system" }');
    expect(cfg).toContain('url = "http://loki-gateway.monitoring.svc.cluster.local/loki/api/v1/push"');
    // The LogQL selector, as an Alloy string: `{namespace="envc-bot"} |~ \`"audit":\s*true\``.
    expect(cfg).toContain(`selector = ${JSON.stringify('{namespace="envc-bot"} |~ `"audit":\\s*true`')}`);
    expect(cfg).toContain('expressions = { actor = "actor", audit_environment = "env", action = "action" }');
    expect(cfg).toContain('values = { actor = "", audit_environment = "", action = "" }');
    // Every node (tainted GPU and batch pools too), reading the pods' log files from the host.
    expect(v.controller).toEqual({ type: 'daemonset', tolerations: [{ operator: 'Exists' }] });
    expect(v.alloy.mounts).toEqual({ varlog: true });
  });

  it('routes envc alerts to the spec channel and picks up every rule and dashboard', async () => {
    const { values } = await valuesOf();
    const v = values('production', 'kube-prometheus-stack');
    expect(v.alertmanager.config.route.routes[1]).toMatchObject({
      receiver: 'slack',
      matchers: ['channel="#platform-infra"'],
    });
    const slack = v.alertmanager.config.receivers.find((r: V) => r.name === 'slack');
    expect(slack.slack_configs[0].channel).toBe('#platform-infra');
    expect(slack.slack_configs[0].api_url_file).toBe(
      '/etc/alertmanager/secrets/alertmanager-slack/webhook-url',
    );
    expect(v.prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues).toBe(false);
    expect(v.prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues).toBe(false);
    expect(v.grafana.sidecar.dashboards).toMatchObject({
      enabled: true,
      label: 'grafana_dashboard',
      labelValue: '1',
    });
    expect(v.grafana.ingress.hosts).toEqual(['grafana.acme.example']);
  });

  it('keeps the names other parts of envc rely on', async () => {
    const { values } = await valuesOf();
    expect(values('staging', 'sealed-secrets').fullnameOverride).toBe('sealed-secrets-controller');
    expect(values('staging', 'tempo').fullnameOverride).toBe(COMPONENTS.tempo.name);
    expect(values('staging', 'ingress-nginx').controller.ingressClassResource.name).toBe('nginx');
  });

  it('never writes a secret value (only references to Secrets)', async () => {
    const { files } = await valuesOf();
    // A key named password or token with a value (automountServiceAccountToken: false is no token).
    for (const f of files)
      expect(f.content, f.path).not.toMatch(/(^|\s)(password|token):\s*\S|hooks\.slack\.com/im);
  });
});
