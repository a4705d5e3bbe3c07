/**
 * `envc demo`: lays out a demo directory (the shipped spec, its compiled generated/, offline stand-in
 * stacks, an empty terraform CLI config, the store), starts the local Slack stand-in and the real bot
 * against it (Bolt's HTTP receiver with request signing, the real runner and terraform, the embedded
 * store), mounts the pages and the Slack playground on the bot's server, bound to 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packagePath } from '../../../compiler/package-root.js';

/** The real address a stand-in resource replaces (the same module, type and name). */
export function realAddress(address: string): string {
  return address.replace(/(^|\.)terraform_data\.([a-z0-9_]+?)__([a-z0-9_]+)/, '$1$2.$3');
}

export interface DemoOptions {
  dir?: string;
  port: number;
  env: NodeJS.ProcessEnv;
  /** Extra stand-in resources per environment (a large change for the bench and browser tests). */
  scale?: Record<string, number>;
  progress(line: string): void;
}

export interface RunningDemo {
  url: string;
  dir: string;
  /** The bot's store and the Slack stand-in (tests and the bench look at what happened). */
  store: import('../../../store/types.js').Store;
  slack: import('../../../slack-standin/fake-slack.js').FakeSlack;
  /** The environments' Kubernetes API stand-ins (a JIT grant's bindings land there); they start after the first page. */
  clusters: Promise<import('./clusters.js').DemoClusters>;
  stop(): Promise<void>;
}

/** The three people of the playground: who asks, who may approve, who may not. */
export const PERSONAS = [
  { key: 'requester', id: 'U0DEMORITA', name: 'rita', role: 'requester (platform engineer)' },
  { key: 'approver', id: 'U0DEMOLENA', name: 'lena', role: 'approver (@platform-leads)' },
  { key: 'outsider', id: 'U0DEMOOLGA', name: 'olga', role: 'not an approver (app team)' },
] as const;

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

export async function startDemo(o: DemoOptions): Promise<RunningDemo> {
  const dir = o.dir ?? (await mkdtemp(join(tmpdir(), 'envc-demo-')));
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  };
  try {
    o.progress(`envc demo: state in ${dir}`);
    const specPath = join(dir, 'environments.yaml');
    await mkdir(dir, { recursive: true });
    await writeFile(specPath, await readFile(packagePath('environments.yaml'), 'utf8'));
    const { compileSpec } = await import('../../../compiler/pipeline.js');
    const compiled = await compileSpec(specPath, { displayName: 'environments.yaml' });
    if (!compiled.model) throw new Error('the shipped spec did not compile');
    const model = compiled.model;
    const { writeTree } = await import('../../../compiler/write.js');
    await writeTree(join(dir, 'generated'), compiled.files);

    const { standInStacks } = await import('./stacks.js');
    const manifest = JSON.parse(await readFile(join(dir, 'generated', 'manifest.json'), 'utf8'));
    const tfvars: Record<string, string> = {};
    for (const e of model.environments) {
      // A two-root environment (docs/adr/0009) has one tfvars per root; the stand-in root takes both.
      const merged: Record<string, unknown> = {};
      for (const root of ['', 'cluster', 'platform']) {
        const text = await readFile(
          join(dir, 'generated/terraform/environments', e.name, root, 'terraform.tfvars.json'),
          'utf8',
        ).catch(() => '{}');
        Object.assign(merged, JSON.parse(text));
      }
      tfvars[e.name] = JSON.stringify(merged, null, 2);
    }
    for (const f of standInStacks(manifest, tfvars, { scale: o.scale ?? {} })) {
      await mkdir(dirname(join(dir, 'stacks', f.path)), { recursive: true });
      await writeFile(join(dir, 'stacks', f.path), f.content);
    }
    const rc = join(dir, 'terraformrc');
    await writeFile(rc, '');
    const kubeconfigDir = join(dir, 'kube');
    const env: NodeJS.ProcessEnv = {
      ...o.env,
      ENVC_KUBECONFIG_DIR: kubeconfigDir,
      TF_CLI_CONFIG_FILE: rc,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      ENVC_GIT_COMMIT: '',
    };

    const { FakeSlack } = await import('../../../slack-standin/fake-slack.js');
    const approver = PERSONAS[1];
    const groups = model.slack.usergroups ?? {};
    const leads = groups['@platform-leads'] ?? 'S0PLATLEADS';
    const oncall = groups['@platform-oncall'] ?? 'S0PLATONCAL';
    const channelName = model.slack.channel.replace(/^#/, '');
    const slack = await FakeSlack.start({
      users: Object.fromEntries(
        PERSONAS.map((p) => [p.id, { name: p.name, email: `${p.name}@acme.example` }]),
      ),
      usergroups: { [leads]: [approver.id], [oncall]: [approver.id] },
      channels: [{ id: 'C0PLATINFRA', name: channelName, botIsMember: true }],
      // Slack's is 3 s; the demo may run on a busy laptop, and a modal that fails to open teaches nothing.
      triggerTtlMs: 60_000,
    });
    cleanups.push(() => slack.close());

    const port = o.port || (await freePort());
    const url = `http://127.0.0.1:${port}/`;
    const signingSecret = randomBytes(16).toString('hex');
    const { SlackUser } = await import('../../../slack-standin/user.js');
    const user = new SlackUser(slack, { kind: 'http', url: `${url}slack/events`, secret: signingSecret });
    const { composePages, pageLinks } = await import('../../../web/compose.js');
    const { playgroundRoutes } = await import('../../../web/playground/routes.js');
    const { tamper } = await import('./tamper.js');
    const auth = { mode: 'open' as const };

    let firstView: () => void = () => {};
    const viewed = new Promise<void>((ok) => {
      firstView = ok;
    });
    let store: RunningDemo['store'] | undefined;
    let warm: (digest: string) => void = () => {};
    const { startBotProcess } = await import('../../../bot/main.js');
    const running = await startBotProcess({
      settings: {
        mode: 'http',
        botToken: slack.botToken,
        signingSecret,
        apiUrl: slack.apiUrl,
        port,
        host: '127.0.0.1',
        store: join(dir, 'state'),
        usergroups: { 'platform-leads': leads, 'platform-oncall': oncall },
        logLevel: 'warn',
        // Only the access expiry job, every 5 s: a grant ends on time; drift checks and rotation stay by hand.
        jobs: true,
        schedules: {
          drift: '',
          approvals: '',
          probe: '',
          rotation: '',
          'rotation-revocations': '',
          'access-expiry': '*/5 * * * * *',
        },
      },
      model,
      cwd: dir,
      env,
      stacks: join(dir, 'stacks'),
      specPath,
      sink: () => {},
      pages: pageLinks(url, { auth, now: () => new Date() }, { linked: (d) => warm(d) }),
      routes: async (base) => {
        store = base.store;
        const pages = await composePages({
          store: base.store,
          model,
          approvers: base.approvers,
          // Stand-in addresses name the real resource: module.m.terraform_data.<type>__<name> → module.m.<type>.<name>.
          ...(base.origins ? { origins: (e: string, a: string) => base.origins!(e, realAddress(a)) } : {}),
          now: base.now,
          generatedDir: join(dir, 'generated'),
          env,
          auth,
        });
        warm = pages.warm;
        const play = playgroundRoutes({
          slack,
          user,
          personas: PERSONAS.map((p) => ({ ...p })),
          channel: { id: 'C0PLATINFRA', name: channelName },
          busy: () => base.tasks.size > 0,
          served: () => firstView(),
          tamper: (e) => tamper(join(dir, 'stacks', e), e),
        });
        return [...pages.routes, ...play];
      },
    });
    if (!running.ok) throw new Error(running.message);
    cleanups.push(() => running.stop());
    // The clusters are needed only when access is granted, minutes later: they start once the first page
    // was served (or after a few seconds), so neither the start-up nor that first page waits on loading them.
    const fallback = setTimeout(() => firstView(), 5000);
    fallback.unref();
    let stopping = false;
    const clusters = viewed
      .then(() => {
        if (stopping) throw new Error('stopped before they started');
        return import('./clusters.js');
      })
      .then(({ startDemoClusters }) =>
        startDemoClusters(
          dir,
          kubeconfigDir,
          model.environments.map((e) => e.name),
        ),
      );
    clusters.then(
      (c) => {
        for (const r of c.refused) o.progress(`envc demo: the Kubernetes stand-in refused ${r}`);
      },
      (err: Error) => {
        if (!stopping)
          o.progress(`envc demo: no Kubernetes stand-ins (access cannot be granted): ${err.message}`);
      },
    );
    cleanups.push(async () => {
      // Stopped before the first page: the clusters never start (and stop does not wait for them to).
      stopping = true;
      clearTimeout(fallback);
      firstView();
      await (await clusters.catch(() => undefined))?.close();
    });
    return { url, dir, store: store!, slack, clusters, stop };
  } catch (err) {
    await stop();
    if (!o.dir) await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Removes a demo directory the command created itself. */
export async function removeDemoDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
