/**
 * Alerting that proves itself (issue 11 finding 15): the Watchdog reaches a dead-man's switch, and the 30-day
 * availability panels weigh every request equally. Redis with Sentinel keeps a majority (finding 11).
 */
import { describe, expect, it } from 'vitest';
import { defaultModel, defaultSpecObject, modelFromSpec } from '../../../../test/support/model.js';
import { environmentDashboard, sloDashboard } from '../kubernetes/dashboards.js';
import { DEAD_MANS_SWITCH, kubePrometheusStack } from './kube-prometheus-stack.js';
import { redisValues } from './redis.js';

// biome-ignore lint/suspicious/noExplicitAny: chart values read by path in assertions
type V = Record<string, any>;

describe('Watchdog → dead-man’s switch', () => {
  it('routes the Watchdog to the environment’s heartbeat URL every minute', async () => {
    const model = await defaultModel();
    const prod = model.environments.find((e) => e.name === 'production')!;
    const config = (kubePrometheusStack(model, prod) as V).alertmanager.config;
    expect(config.route.routes[0]).toEqual({
      receiver: DEAD_MANS_SWITCH,
      matchers: ['alertname="Watchdog"'],
      group_wait: '0s',
      group_interval: '1m',
      repeat_interval: '1m',
      continue: false,
    });
    expect(config.receivers.find((r: V) => r.name === DEAD_MANS_SWITCH)).toEqual({
      name: DEAD_MANS_SWITCH,
      webhook_configs: [{ url: prod.observability.heartbeatUrl, send_resolved: false }],
    });
  });

  it('without a heartbeat URL sends it nowhere (and ENVC2043 warns)', async () => {
    const spec = defaultSpecObject() as { environments: Record<string, { observability: V }> };
    delete spec.environments.staging!.observability.heartbeatUrl;
    const model = await modelFromSpec(spec);
    const staging = model.environments.find((e) => e.name === 'staging')!;
    const config = (kubePrometheusStack(model, staging) as V).alertmanager.config;
    expect(config.route.routes[0].receiver).toBe('null');
    expect(config.receivers.map((r: V) => r.name)).not.toContain(DEAD_MANS_SWITCH);
  });
});

describe('30-day availability', () => {
  it('divides the window’s failed requests by all its requests (no average of hourly ratios)', async () => {
    const model = await defaultModel();
    const env = model.environments.find((e) => e.name === 'production')!;
    for (const d of [environmentDashboard(env, 99.5), sloDashboard(env, 99.5)] as V[]) {
      const exprs: string[] = d.panels.flatMap((p: V) => (p.targets ?? []).map((t: V) => t.expr));
      const thirty = exprs.filter((e) => e.includes('[30d]'));
      expect(thirty.length).toBeGreaterThanOrEqual(2);
      for (const e of thirty) {
        expect(e).not.toContain('avg_over_time');
        expect(e).toContain(
          'sum by (exported_service) (increase(nginx_ingress_controller_requests{status=~"5.."}[30d]))\n/\nsum by (exported_service) (increase(nginx_ingress_controller_requests[30d]))',
        );
      }
    }
  });
});

describe('Redis Sentinel quorum', () => {
  it('runs staging with three sentinels and a quorum of two', async () => {
    const model = await defaultModel();
    const staging = model.environments.find((e) => e.name === 'staging')!;
    const v = redisValues(model, staging) as V;
    expect(v.replicas).toBe(3);
    expect(v.sentinel.quorum).toBe(2);
  });

  it('refuses two replicas at the spec line (ENVC2040)', async () => {
    const spec = defaultSpecObject() as { environments: Record<string, { dataServices: V }> };
    spec.environments.staging!.dataServices.redis.replicas = 2;
    await expect(modelFromSpec(spec)).rejects.toThrow(/ENVC2040/);
  });
});
