import { describe, expect, it } from 'vitest';
import { defaultSpecObject, modelFromSpec } from '../../../../test/support/model.js';
import { BURN_RATE_WINDOWS } from '../../../probe/burn-rate.js';
import { ALERT_SEVERITY, errorBudget } from './monitoring-metrics.js';
import { emitDefault, emitModel } from './test-helpers.js';

type Rule = { alert?: string; record?: string; expr: string; labels?: Record<string, string> };
type PR = {
  metadata: { name: string; namespace: string };
  spec: { groups: Array<{ name: string; rules: Rule[] }> };
};
type CM = { metadata: { name: string; labels: Record<string, string> }; data: Record<string, string> };

const alerts = (pr: PR) => pr.spec.groups.flatMap((g) => g.rules).filter((r) => r.alert);

describe('monitoring', () => {
  it('alerts on the availability SLO with multi-window burn rates over the spec target', async () => {
    const { find } = await emitDefault();
    const slo = find('PrometheusRule', 'envc-slo', 'monitoring', 'production') as unknown as PR;
    const [fast, slow] = alerts(slo);
    // 99.5% → budget 0.005; page at 14.4x over 1h and 5m, or 6x over 6h and 30m.
    expect(fast!.expr).toContain(
      'envc:slo_errors_per_request:ratio_rate1h > (14.4 * 0.005) and envc:slo_errors_per_request:ratio_rate5m > (14.4 * 0.005)',
    );
    expect(fast!.expr).toContain(
      'ratio_rate6h > (6 * 0.005) and envc:slo_errors_per_request:ratio_rate30m > (6 * 0.005)',
    );
    expect(slow!.expr).toContain('ratio_rate3d > (1 * 0.005)');
    expect(fast!.labels).toMatchObject({
      severity: 'critical',
      environment: 'production',
      channel: '#platform-infra',
    });
    const records = slo.spec.groups[0]!.rules.map((r) => r.record);
    expect(new Set(records)).toEqual(
      new Set(
        ['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `envc:slo_errors_per_request:ratio_rate${w}`),
      ),
    );
    expect(errorBudget(99.9)).toBe('0.001');
    const spec = defaultSpecObject() as { slo: { availability: number } };
    spec.slo.availability = 99.9;
    const strict = await emitModel(await modelFromSpec(spec));
    expect(
      alerts(strict.find('PrometheusRule', 'envc-slo', 'monitoring', 'staging') as unknown as PR)[0]!.expr,
    ).toContain('(14.4 * 0.001)');
  });

  it('fires on exactly the burn-rate windows of src/probe/burn-rate.ts (the Slack alert and Grafana fire together)', async () => {
    const { find } = await emitDefault();
    const slo = find('PrometheusRule', 'envc-slo', 'monitoring', 'production') as unknown as PR;
    // Read the windows back out of the emitted expressions, not out of the emitter's code.
    const pair =
      /\(envc:slo_errors_per_request:ratio_rate(\w+) > \(([0-9.]+) \* 0\.005\) and envc:slo_errors_per_request:ratio_rate(\w+) > \(([0-9.]+) \* 0\.005\)\)/g;
    const emitted = alerts(slo).flatMap((a) =>
      [...a.expr.matchAll(pair)].map((m) => {
        expect(m[2]).toBe(m[4]);
        return [m[1], m[3], Number(m[2]), a.labels!.severity];
      }),
    );
    expect(emitted).toEqual(
      BURN_RATE_WINDOWS.map((w) => [w.long, w.short, w.factor, ALERT_SEVERITY[w.severity]]),
    );
    // Every window's long and short range is recorded, and nothing else.
    const records = slo.spec.groups[0]!.rules.map((r) =>
      r.record!.replace('envc:slo_errors_per_request:ratio_rate', ''),
    );
    expect(new Set(records)).toEqual(new Set(BURN_RATE_WINDOWS.flatMap((w) => [w.long, w.short])));
  });

  it('watches secret freshness, drift and access anomalies where the bot runs, with environment and channel on every alert', async () => {
    const { find, all } = await emitDefault();
    const platform = find('PrometheusRule', 'envc-platform', 'monitoring', 'system') as unknown as PR;
    const names = new Set(alerts(platform).map((a) => a.alert));
    expect(names).toEqual(
      new Set([
        'EnvcSecretRotationDue',
        'EnvcSecretRotationOverdue',
        'EnvcSecretFreshnessUnknown',
        'EnvcDriftDetected',
        'EnvcBreakGlassActive',
        'EnvcAccessGrantOutsideHours',
      ]),
    );
    const exprs = alerts(platform)
      .map((a) => a.expr)
      .join('\n');
    for (const metric of [
      'envc_secret_age_seconds',
      'envc_secret_rotation_due_timestamp_seconds',
      'envc_drift_incidents_open',
      'envc_access_grants_active{break_glass="true"}',
    ])
      expect(exprs).toContain(metric);
    // objstore-key in production: 30d + max(grace 1d, 1d) = 2678400 s.
    expect(exprs).toContain(
      'envc_secret_age_seconds{environment="production",secret="objstore-key"} > 2678400',
    );
    for (const env of ['development', 'staging', 'production', 'system']) {
      for (const pr of all('PrometheusRule', env) as unknown as PR[]) {
        for (const a of alerts(pr)) {
          expect(a.labels?.channel, `${env} ${a.alert}`).toBe('#platform-infra');
          expect(a.labels?.environment, `${env} ${a.alert}`).toMatch(
            /^(development|staging|production|system|\{\{ \$labels\.environment \}\})$/,
          );
        }
      }
    }
    expect(find('PrometheusRule', 'envc-platform', 'monitoring', 'production')).toBeUndefined();
  });

  it('ships Grafana dashboards as ConfigMaps with the sidecar label and valid JSON', async () => {
    const { all } = await emitDefault();
    const system = all('ConfigMap', 'system') as unknown as CM[];
    expect(system.map((c) => c.metadata.name).sort()).toEqual([
      'envc-access-overview',
      'envc-environment-health',
      'envc-slo-availability',
    ]);
    const prod = all('ConfigMap', 'production') as unknown as CM[];
    expect(prod.map((c) => c.metadata.name).sort()).toEqual([
      'envc-environment-health',
      'envc-slo-availability',
    ]);
    for (const cm of [...system, ...prod]) {
      expect(cm.metadata.labels.grafana_dashboard).toBe('1');
      const [file, json] = Object.entries(cm.data)[0]!;
      const dash = JSON.parse(json) as { uid: string; panels: Array<{ targets: Array<{ expr: string }> }> };
      expect(file).toMatch(/\.json$/);
      expect(dash.uid).toBe(cm.metadata.name);
      expect(dash.panels.length).toBeGreaterThan(2);
      for (const p of dash.panels) for (const t of p.targets) expect(t.expr.length).toBeGreaterThan(3);
    }
  });
});
