import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../test/support/model.js';
import type { Model } from '../compiler/model.js';
import { formatAccessDuration, parseAccessDuration } from './duration.js';
import { kubernetesUser } from './identity.js';
import { policyApprovers, resolveAccess, reviewers } from './policy.js';

let model: Model;
beforeAll(async () => {
  model = await defaultModel();
});

describe('access durations', () => {
  it('parses what people type and refuses the rest', () => {
    expect(parseAccessDuration('90m')).toBe(5400);
    expect(parseAccessDuration('1h30m')).toBe(5400);
    expect(parseAccessDuration('2H')).toBe(7200);
    expect(parseAccessDuration('1d')).toBe(86400);
    for (const bad of ['', '2', 'h', '2 hours', '-1h', '1.5h', '0m'])
      expect(parseAccessDuration(bad)).toBeUndefined();
    expect(formatAccessDuration(5400)).toBe('1h30m');
    expect(formatAccessDuration(7200)).toBe('2h');
  });
});

describe('resolveAccess', () => {
  const ask = (target: string, duration = '1h', env = 'production', reason = 'debug INC-123') =>
    resolveAccess(model, { env, target, duration, reason });

  it('resolves a policy by name with its namespaces and ClusterRole', () => {
    const r = ask('view', '2h');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.policy.name).toBe('view');
    expect(r.value.durationSeconds).toBe(7200);
    expect(r.value.namespaces).toEqual(['team-a']);
    expect(r.value.clusterRole).toBe('envc:view');
  });

  it('refuses a duration over maxDuration, naming the maximum', () => {
    const r = ask('view', '9h');
    expect(r).toMatchObject({ ok: false, code: 'too-long' });
    if (!r.ok) expect(r.message).toContain('the maximum is 8h');
  });

  it('resolves a role to the one ordinary policy granting it, never to break-glass', () => {
    const r = ask('edit');
    expect(r.ok && r.value.policy.name).toBe('prod-edit');
    // "admin" in production: only break-glass grants admin there, so it is the only candidate.
    const admin = ask('admin', '30m');
    expect(admin.ok && admin.value.policy.name).toBe('break-glass');
    expect(admin.ok && admin.value.policy.scope).toBe('cluster');
    expect(admin.ok && admin.value.clusterRole).toBe('envc:break-glass');
  });

  it('refuses unknown environments, uncovered environments, bad durations and empty reasons', () => {
    expect(ask('view', '1h', 'prod')).toMatchObject({ ok: false, code: 'unknown-env' });
    expect(ask('nope')).toMatchObject({ ok: false, code: 'unknown-policy' });
    expect(ask('edit', '1h', 'system')).toMatchObject({ ok: false, code: 'env-not-covered' });
    expect(ask('prod-edit', '1h', 'staging')).toMatchObject({ ok: false, code: 'env-not-covered' });
    expect(ask('view', 'soon')).toMatchObject({ ok: false, code: 'bad-duration' });
    expect(ask('view', '1h', 'production', ' ')).toMatchObject({ ok: false, code: 'no-reason' });
  });

  it('takes approvers from the policy, then the environment, then the spec', () => {
    const prod = model.environments.find((e) => e.name === 'production')!;
    const view = model.accessPolicies.find((p) => p.name === 'view')!;
    const bg = model.accessPolicies.find((p) => p.name === 'break-glass')!;
    expect(policyApprovers(model, view, prod)).toEqual(['@platform-leads']);
    expect(policyApprovers(model, bg, prod)).toEqual(prod.approvals.approvers);
    expect(reviewers(model, prod)).toEqual(['@platform-leads']);
  });
});

describe('kubernetesUser', () => {
  const identity = { emailDomain: 'acme.example', kubernetesUser: 'email' as const, groupPrefix: '' };
  it('maps the profile email, inside the allowed domain only', () => {
    expect(kubernetesUser('Alice@Acme.example', identity)).toEqual({
      ok: true,
      user: 'alice@acme.example',
      email: 'alice@acme.example',
    });
    expect(
      kubernetesUser('alice@acme.example', { ...identity, kubernetesUser: 'email-local-part' }),
    ).toMatchObject({ ok: true, user: 'alice' });
    expect(kubernetesUser('mallory@evil.example', identity)).toMatchObject({ ok: false });
    expect(kubernetesUser(undefined, identity)).toMatchObject({ ok: false });
    expect(kubernetesUser('not-an-email', identity)).toMatchObject({ ok: false });
  });
});
