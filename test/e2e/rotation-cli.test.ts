/**
 * `envc rotate` and `envc access` as operators run them: the built CLI (`node bin/envc.js`) in a child
 * process, configured only through its environment (LINODE_API_URL/LINODE_TOKEN, ENVC_KUBECONFIG_DIR,
 * ENVC_STORE, ENVC_ACTOR, SLACK_*), against the same local servers as the in-process tests.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { ENVC_BIN } from '../support/cli.js';
import { ciAs, startIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { prepareStoreDir } from '../support/store.js';
import { LEADS_GROUP, leaks, startWorld, tempDir, type World } from './rotation.harness.js';

let w: World;
let issuer: TestIssuer;
const outputs: string[] = [];
let env: Record<string, string>;
const repoRoot = join(import.meta.dirname, '../..');

/** The CLI in a child process, without blocking this process (the local servers live here). */
function envc(
  args: string[],
  extra: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const full: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', ...env };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete full[k];
    else full[k] = v;
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ENVC_BIN, ...args],
      { cwd: repoRoot, env: full, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        outputs.push(stdout, stderr);
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function withStore<T>(fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore(env.ENVC_STORE as string);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

beforeAll(async () => {
  w = await startWorld(['development', 'production']);
  issuer = await startIssuer();
  const kube = tempDir('envc-kubeconfigs-');
  for (const [name, k] of Object.entries(w.clusters))
    writeFileSync(join(kube, `${name}.yaml`), k.kubeconfig(`acme-${name}`));
  const storeDir = join(tempDir('envc-cli-store-'), 'state');
  await prepareStoreDir(storeDir);
  env = {
    LINODE_TOKEN: w.linode.token,
    LINODE_API_URL: w.linode.url,
    ENVC_KUBECONFIG_DIR: kube,
    ENVC_STORE: storeDir,
    ENVC_ACTOR: 'alice@acme.example',
    ENVC_SLACK_USERGROUPS: `platform-leads=${LEADS_GROUP}`,
  };
});
afterAll(async () => {
  await issuer?.close();
  await w?.close();
});

// Each CLI run opens the PGlite store (~2 s here); a test runs up to three.
vi.setConfig({ testTimeout: 120_000 });

describe('envc rotate', () => {
  it('--status lists every secret with its due time (never rotated: due)', async () => {
    const r = await envc(['rotate', '--status', '--json', '--env', 'development']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout).secrets as Array<{ env: string; secret: string; due: boolean }>;
    expect(rows.map((x) => `${x.env}/${x.secret}:${x.due}`)).toEqual([
      'development/objstore-key:true',
      // The in-cluster Redis' password, declared by envc itself.
      'development/redis-credentials:true',
      'development/session-key:true',
    ]);
  });

  it('rotates a secret on demand where no approval is required, with progress on stderr', async () => {
    const r = await envc(['rotate', '--env', 'development', '--secret', 'session-key']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rotated session-key in development');
    expect(r.stderr).toContain('development/session-key: seal: sealed for team-a (strict scope)');
    const v = w.clusters.development!.secretValue('team-a', 'session-key', 'value')!;
    expect(v).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(
      leaks(
        [v],
        [
          { where: 'stdout', text: r.stdout },
          { where: 'stderr', text: r.stderr },
        ],
      ),
    ).toEqual([]);
    const rec = await withStore((s) => s.lastRotation('development', 'session-key', 'succeeded'));
    expect(rec?.actor).toBe('alice@acme.example');
  });

  it('--due rotates what is due and nothing else', async () => {
    const r = await envc(['rotate', '--due', '--env', 'development', '--json']);
    expect(r.code).toBe(0);
    expect(
      JSON.parse(r.stdout).rotations.map(
        (x: { secret: string; outcome: string }) => `${x.secret}:${x.outcome}`,
      ),
    ).toEqual(['objstore-key:success', 'redis-credentials:success']);
    const again = await envc(['rotate', '--due', '--env', 'development']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('nothing is due\n');
    const secret = w.clusters.development!.secretValue('team-a', 'objstore-key', 'secret_key')!;
    expect(w.linode.keys().some((k) => k.secret_key === secret)).toBe(true);
    // Redis' password: one generated value, sealed under `password` where Redis runs and where its client does.
    const redis = w.clusters.development!.secretValue('data', 'redis-credentials', 'password')!;
    expect(redis).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(w.clusters.development!.secretValue('team-a', 'redis-credentials', 'password')).toBe(redis);
  });

  it('production on demand waits for an approver: exit 4, and the request is posted when Slack is configured', async () => {
    const r = await envc(
      ['rotate', '--env', 'production', '--secret', 'session-key', '--reason', 'leaked in a log'],
      {
        SLACK_BOT_TOKEN: w.slack.botToken,
        SLACK_API_URL: w.slack.apiUrl,
      },
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/waiting for 1 approval\(s\) by @platform-leads \(request rot_[\w-]+\)/);
    // Said once (it used to print twice), then how to approve: the request is in Slack, the CLI cannot approve.
    expect(r.stderr.match(/approval\(s\) by @platform-leads/g)).toHaveLength(1);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^next: an approver uses the button in #platform-infra \(or `\/infra rotate approve rot_[\w-]+`\)/,
    );
    expect(w.clusters.production!.secretValue('team-a', 'session-key', 'value')).toBeUndefined();
    const parent = w.slack
      .parents('#platform-infra')
      .find((m) => (m.text ?? '').includes('session-key in production'));
    expect(JSON.stringify(parent?.blocks)).toContain('envc.rotation.approve');
    expect(JSON.stringify(parent?.blocks)).toContain('leaked in a log');
  });

  it('without Slack, production says nothing was posted and how to post it from the CLI; asking again with a bot token posts the same request', async () => {
    const args = ['rotate', '--env', 'production', '--secret', 'redis-credentials'];
    const r = await envc(args);
    expect(r.code).toBe(4);
    const id = r.stderr.match(/request (rot_[\w-]+)/)?.[1];
    expect(id, r.stderr).toBeDefined();
    // It used to say "approve with the button in #platform-infra" although no message existed.
    expect(r.stderr).not.toMatch(/button/);
    expect(r.stderr).toContain('nothing was posted to Slack (SLACK_BOT_TOKEN is not set)');
    expect(r.stderr).toContain('a rotation is approved only in Slack, never from the CLI');
    const next = r.stderr.trimEnd().split('\n').at(-1)!;
    expect(next).toBe(
      `next: SLACK_BOT_TOKEN=xoxb-… envc rotate --env production --secret redis-credentials   # posts request ${id} to #platform-infra; \`envc rotate --status --env production\` shows it meanwhile`,
    );
    // The commands the next: line names work from the CLI: --status shows the open request…
    const status = await envc(['rotate', '--status', '--env', 'production']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      new RegExp(`production/redis-credentials .* request ${id} awaits approval`),
    );
    // …and asking again with a bot token posts that request instead of recording a second one.
    const before = w.slack.parents('#platform-infra').length;
    const again = await envc(args, { SLACK_BOT_TOKEN: w.slack.botToken, SLACK_API_URL: w.slack.apiUrl });
    expect(again.code).toBe(4);
    expect(again.stderr).toContain(`(request ${id})`);
    expect(again.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^next: an approver uses the button in #platform-infra/,
    );
    const posted = w.slack.parents('#platform-infra').slice(before);
    expect(
      posted.map((m) => m.text ?? '').filter((t) => t.includes('redis-credentials in production')),
    ).toHaveLength(1);
    expect(JSON.stringify(posted)).toContain(id);
    const open = await withStore((s) => s.listRotations({ env: 'production', secret: 'redis-credentials' }));
    expect(open.map((o) => o.id)).toEqual([id]);
  });

  it('refuses an unknown secret as a usage error', async () => {
    const r = await envc(['rotate', '--env', 'development', '--secret', 'app-db']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('no secret app-db in development');
  });
});

describe('envc access', () => {
  let id: string;

  it('request: waits for approval (exit 4)', async () => {
    const r = await envc(['access', 'request', 'production', 'view', '1h', 'debug', 'INC-9'], {
      SLACK_BOT_TOKEN: w.slack.botToken,
      SLACK_API_URL: w.slack.apiUrl,
    });
    expect(r.code).toBe(4);
    id = /request (acc_[\w-]+)/.exec(r.stdout)?.[1] ?? '';
    expect(id).not.toBe('');
    const req = await withStore((s) => s.getAccessRequest(id));
    // With Slack, the CLI user is their Slack user (so self-approval is caught across Slack and the CLI).
    expect(req).toMatchObject({
      requester: 'U0ALICE',
      reason: 'debug INC-9',
      status: 'pending',
      details: { k8sUser: 'alice@acme.example' },
    });
  });

  it('approve: a name (ENVC_ACTOR) never approves; a verified CI identity of the requester is refused, of an approver grants', async () => {
    const slack = { SLACK_BOT_TOKEN: w.slack.botToken, SLACK_API_URL: w.slack.apiUrl };
    const claimed = await envc(['access', 'approve', id], { ...slack, ENVC_ACTOR: 'bob@acme.example' });
    expect(claimed.code, claimed.stderr).toBe(1);
    expect(claimed.stderr).toContain(
      'envc access: refused: U0BOB is a name, not a verified identity; an access approval counts only from a signed Slack request or a verified CI identity [ENVC4018]',
    );
    expect((await withStore((s) => s.getAccessRequest(id)))?.status).toBe('pending');
    const links = JSON.stringify({ 'github:alice': 'U0ALICE', 'github:bob': 'U0BOB' });
    const forged = await envc(['access', 'approve', id], {
      ...slack,
      ...issuer.env,
      ENVC_IDENTITY_LINKS: links,
      ENVC_OIDC_TOKEN: await issuer.forge({ actor: 'bob' }),
    });
    expect(forged.code, forged.stderr).toBe(1);
    expect(forged.stderr).toContain('[ENVC4018]');
    const self = await envc(['access', 'approve', id], {
      ...slack,
      ...(await ciAs(issuer, 'alice')),
      ENVC_IDENTITY_LINKS: links,
    });
    expect(self.code, self.stderr).toBe(1);
    expect(self.stderr).toContain('cannot approve your own');
    const ok = await envc(['access', 'approve', id], {
      ...slack,
      ...(await ciAs(issuer, 'bob')),
      ENVC_IDENTITY_LINKS: links,
      ENVC_ACTOR: 'bob@acme.example',
    });
    expect(ok.stderr).toContain('granted until');
    expect(ok.code, ok.stderr).toBe(0);
    expect((await withStore((s) => s.getAccessRequest(id)))?.approvers).toEqual(['U0BOB']);
    const bindings = w.clusters
      .production!.list('rbac.authorization.k8s.io/v1', 'RoleBinding', 'team-a')
      .filter((b) => b.metadata.name.startsWith('envc-grant-'));
    expect(bindings.map((b) => b.metadata.annotations?.['envc.io/grant-id'])).toEqual([id]);
  });

  it('list, revoke and sweep', async () => {
    const list = await envc(['access', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(
      JSON.parse(list.stdout).map((x: { request: { id: string }; state: string }) => [
        x.request.id,
        x.state.split(' ')[0],
      ]),
    ).toEqual([[id, 'granted']]);
    // Without Slack the CLI cannot tell that alice@acme.example is the requester U0ALICE: refused.
    const blind = await envc(['access', 'revoke', id, '--reason', 'done']);
    expect(blind.code, blind.stderr).toBe(1);
    const revoke = await envc(['access', 'revoke', id, '--reason', 'done'], {
      SLACK_BOT_TOKEN: w.slack.botToken,
      SLACK_API_URL: w.slack.apiUrl,
    });
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(
      w.clusters
        .production!.list('rbac.authorization.k8s.io/v1', 'RoleBinding', 'team-a')
        .filter((b) => b.metadata.name.startsWith('envc-grant-')),
    ).toEqual([]);
    const sweep = await envc(['access', 'sweep']);
    expect(sweep.stdout).toContain('revoked 0 expired grant(s)');
    // staging and system have no cluster in this test: reported, not hidden.
    expect(sweep.stdout).toContain('staging: not checked');
    expect(sweep.stdout).toContain('system: not checked');
    expect(sweep.stdout).not.toContain('production: not checked');
    expect(sweep.code).toBe(3);
  });

  it('usage errors name the forms', async () => {
    const r = await envc(['access', 'frobnicate']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('envc access request <env> <policy|role> <duration> <reason…>');
  });
});

describe('secret values', () => {
  it('appear nowhere but in the cluster Secrets: not on stdout/stderr runs above, Slack, the store, generated/', async () => {
    const k8s = w.clusters.development!;
    const values = [
      k8s.secretValue('team-a', 'session-key', 'value'),
      k8s.secretValue('team-a', 'objstore-key', 'secret_key'),
      ...w.linode.keys().map((k) => k.secret_key),
    ].filter((v): v is string => typeof v === 'string');
    expect(values.length).toBeGreaterThanOrEqual(3);
    const texts = [
      { where: 'slack', text: JSON.stringify(w.slack.calls) },
      {
        where: 'k8s requests',
        text: JSON.stringify(Object.values(w.clusters).flatMap((c) => c.requests.map((q) => q.body))),
      },
      { where: 'linode requests', text: JSON.stringify(w.linode.requests.map((q) => q.body)) },
      { where: 'cli output', text: outputs.join('\n') },
      ...(await withStore(async (s) => [
        { where: 'audit', text: JSON.stringify(await s.listAudit({ limit: 1000 })) },
        { where: 'rotations', text: JSON.stringify(await s.listRotations({ limit: 1000 })) },
      ])),
      ...generatedFiles(),
    ];
    expect(leaks(values, texts)).toEqual([]);
  });
});

function generatedFiles(): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push({ where: p, text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(repoRoot, 'generated'));
  return out;
}
