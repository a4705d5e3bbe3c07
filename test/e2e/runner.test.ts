/**
 * `envc plan | apply | approvals | destroy | lock` end to end: the built CLI, the real terraform binary on the
 * fixture stacks, the shipped environments.yaml (production, staging and system gated by @platform-leads),
 * and a PGlite store — the way an operator or CI runs them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terraformSkipReason, type Workspace, workspace } from '../../src/runner/test-harness.js';
import { ciAs, startIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { approveArgs, onStack } from '../support/run-args.js';

const skip = terraformSkipReason();
if (skip) console.warn(skip);

interface PlanJson {
  environments: Array<{
    env: string;
    status: string;
    digest: string;
    counts: { add: number };
    resources: Array<{ address: string }>;
    revision?: string;
  }>;
}

const COMMIT = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';

describe.skipIf(skip)('envc plan / apply / approvals (e2e)', { timeout: 900_000 }, () => {
  let ws: Workspace;
  let issuer: TestIssuer;
  const digests: Record<string, string> = {};

  beforeAll(async () => {
    ws = await workspace();
    issuer = await startIssuer();
  });
  afterAll(() => issuer?.close());

  it('plan --all plans four environments (system first) and prints digests as JSON; exit 2 = changes', async () => {
    const r = await ws.envc(['plan', '--all', '--stacks', 'stacks', '--json'], { GITHUB_SHA: COMMIT });
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as PlanJson;
    expect(out.environments.map((e) => e.env)).toEqual(['system', 'development', 'production', 'staging']);
    for (const e of out.environments) {
      expect(e.status).toBe('ok');
      // Every plan records the revision it was made from (here CI's GITHUB_SHA).
      expect(e.revision).toBe(COMMIT);
      expect(e.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(e.counts.add).toBe(3);
      digests[e.env] = e.digest;
    }
    // Not a TTY: plain progress lines per environment on stderr.
    expect(r.stderr).toMatch(/^envc: production: planning$/m);
    expect(r.stderr).toMatch(/^production: plan ready [0-9a-f]{12} \(\+3 ~0 -0\)$/m);
  });

  it('apply --all applies the ungated environment and exits 4 naming the exact approve command for the gated ones', async () => {
    const r = await ws.envc(['apply', '--all', '--stacks', 'stacks', '--as', 'UREQ']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^development {2}applied [0-9a-f]{12} {2}\+3 ~0 -0$/m);
    expect(ws.state('development')?.resources).toHaveLength(3);
    for (const env of ['production', 'staging', 'system']) {
      expect(ws.state(env)).toBeUndefined();
      expect(r.stderr).toContain(
        `approve with: press Approve in Slack (or /infra approve ${env} ${digests[env]!.slice(0, 12)}); from CI: envc approvals approve --env ${env} --digest ${digests[env]} with an OIDC token`,
      );
    }
    const list = await ws.envc(['approvals', 'list', '--stacks', 'stacks', '--json']);
    expect(list.code).toBe(0);
    const pending = (
      JSON.parse(list.stdout) as { requests: Array<{ env: string; digest: string; requester: string }> }
    ).requests;
    expect(pending.map((p) => p.env).sort()).toEqual(['production', 'staging', 'system']);
    expect(pending.every((p) => p.requester === 'UREQ')).toBe(true);
  });

  it('a retention setting that makes no sense is a usage error, before anything is planned', async () => {
    const r = await ws.envc(['plan', '--env', 'development', '--stacks', 'stacks'], {
      ENVC_KEEP_PLANS: 'all',
    });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('ENVC_KEEP_PLANS must be a whole number of at least 1, not "all"');
  });

  it('`--as` alone never approves: refused, nothing recorded, and the gate still waits', async () => {
    const d = digests.production!;
    const claimed = await ws.envc([...approveArgs('production', d), '--as', 'ULEAD1']);
    expect(claimed.code).toBe(1);
    expect(claimed.stderr).toContain(
      'envc approvals: refused: ULEAD1 is a name, not a verified identity; an approval or denial counts only from a signed Slack request or a verified CI identity [ENVC4018]',
    );
    expect(claimed.stderr).toContain('next: press Approve on the request in Slack');
    const viaEnv = await ws.envc(approveArgs('production', d), { ENVC_ACTOR: 'ULEAD2' });
    expect(viaEnv.code).toBe(1);
    // A forged CI token is refused before anything opens.
    const forged = await ws.envc(approveArgs('production', d), {
      ...issuer.env,
      ENVC_OIDC_TOKEN: await issuer.forge({ actor: 'lead-one' }),
    });
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain(
      'envc: the CI identity token was refused: the token signature does not verify against the issuer keys',
    );
    const list = JSON.parse((await ws.envc(['approvals', 'list', '--env', 'production', '--json'])).stdout);
    expect(list.requests[0]).toMatchObject({ env: 'production', status: 'pending', approvals: [] });
    expect((await ws.envc(onStack('apply', 'production', '--as', 'UREQ'))).code).toBe(4);
  });

  it('approvals approve (verified CI identity) refuses self-approval and non-approvers, accepts an approver; apply then uses it once', async () => {
    const d = digests.production!;
    const self = await ws.envc(approveArgs('production', d), await ciAs(issuer, 'requester'));
    expect(self.code).toBe(1);
    expect(self.stderr).toContain('UREQ requested this change and cannot approve it');
    const outsider = await ws.envc(approveArgs('production', d), await ciAs(issuer, 'oncall'));
    expect(outsider.code).toBe(1);
    expect(outsider.stderr).toContain(
      'UONCALL is not an approver of production (approvers: @platform-leads)',
    );
    const ok = await ws.envc(approveArgs('production', d.slice(0, 12)), await ciAs(issuer, 'lead-one'));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`approved plan ${d.slice(0, 12)} of production as ULEAD1`);

    // An approver applying their own approval is a self-approval too.
    const byApprover = await ws.envc(onStack('apply', 'production', '--as', 'ULEAD1'));
    expect(byApprover.code).toBe(4);
    expect(byApprover.stderr).toContain('ULEAD1 cannot approve a change they requested');

    const applied = await ws.envc(onStack('apply', 'production', '--as', 'UREQ', '--json'));
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout).environments[0]).toMatchObject({
      env: 'production',
      status: 'ok',
      digest: d,
      approvedBy: ['ULEAD1'],
    });
    expect(ws.state('production')?.resources).toHaveLength(3);
    // After the apply the views still say who requested, who approved (how, when) and which digest.
    const all = JSON.parse(
      (await ws.envc(['approvals', 'list', '--all', '--env', 'production', '--json'])).stdout,
    );
    expect(all.requests[0]).toMatchObject({
      env: 'production',
      digest: d,
      status: 'applied',
      requester: 'UREQ',
      approvedBy: ['ULEAD1'],
      approvals: [{ approver: 'ULEAD1', via: 'github-oidc' }],
    });
    const text = await ws.envc(['approvals', 'list', '--all', '--env', 'production']);
    expect(text.stdout).toMatch(
      new RegExp(
        `production +${d.slice(0, 12)} +applied +requested by UREQ at .* approvals 1/1 \\(ULEAD1 via github-oidc at `,
      ),
    );

    const again = await ws.envc(['apply', '--env', 'production', '--stacks', 'stacks', '--as', 'UREQ']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /refused production: plan [0-9a-f]{12} of production was already applied .* \[ENVC4002\]/,
    );
  });

  it('destroy of production is refused by the spec (allowDestroy false); development is destroyed', async () => {
    const prod = await ws.envc(['destroy', '--env', 'production', '--stacks', 'stacks', '--yes']);
    expect(prod.code).toBe(1);
    expect(prod.stderr).toContain(
      'does not allow destroying it (approvals.allowDestroy is false) [ENVC4007]',
    );
    expect(ws.state('production')?.resources).toHaveLength(3);

    // Off a terminal (stdin is not a TTY here) and without --yes nobody confirmed: refused, nothing planned.
    const unconfirmed = await ws.envc(['destroy', '--env', 'development', '--stacks', 'stacks']);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain(
      'envc destroy: refused: destroying development needs a confirmation, and this is not a terminal',
    );
    expect(unconfirmed.stderr).toContain('next: envc destroy --env development --yes');
    expect(ws.state('development')?.resources).toHaveLength(3);

    const dev = await ws.envc(['destroy', '--env', 'development', '--stacks', 'stacks', '--yes']);
    expect(dev.code).toBe(0);
    expect(dev.stdout).toMatch(/development {2}destroyed [0-9a-f]{12} {2}\+0 ~0 -3/);
    expect(ws.state('development')?.resources).toEqual([]);
  });

  it('usage errors exit 64; lock status reports nothing held after the runs', async () => {
    expect((await ws.envc(['plan', '--stacks', 'stacks'])).code).toBe(64);
    const unknown = await ws.envc(['plan', '--env', 'prod', '--stacks', 'stacks']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('no stack for "prod"');
    const locks = await ws.envc(['lock', 'status']);
    expect(locks).toMatchObject({ code: 0, stdout: 'no environment is locked\n' });
  });
});
