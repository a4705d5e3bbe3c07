import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { hasErrors } from '../../compiler/diagnostics/diagnostic.js';
import type { Verdict } from '../../traffic/evaluate.js';
import type { CommandSpec } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../main.js';
import { printDiagnostics } from '../spec-args.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

function render(
  v: Verdict,
  source: string,
  style: { green(s: string): string; red(s: string): string; dim(s: string): string },
): string {
  const head = v.allowed ? style.green('allow') : style.red('deny');
  const lines = [`${head} ${v.from} -> ${v.to} ${v.protocol}/${v.port}`];
  if (v.decidedBy) lines.push(`  decided by: ${v.decidedBy}`);
  lines.push(`  ${v.reason}`);
  lines.push(style.dim(`  (policies from ${source})`));
  return `${lines.join('\n')}\n`;
}

export const command: CommandSpec = {
  name: 'traffic',
  summary: 'would a connection be allowed? evaluate the generated NetworkPolicies',
  usage:
    'envc traffic --from <env>/<service> --to <env>/<service>[:port] [--protocol TCP|UDP] [--layers] [--json] | --question TEXT\n       envc traffic --manifests PATH... --env ENV [--check [--needs FILE]] [--json]',
  description: `Evaluates the NetworkPolicies envc generates (standard semantics: podSelector, namespaceSelector,
ipBlock with except, ports with endPort, policyTypes) and answers allow or deny, naming the policy that
decides. All environments are evaluated as one flat network, so a cross-environment allow would show up.

Endpoints: <env>/<service>, <env>/<namespace>/<name>, <env>/<component> (ingress-nginx, prometheus, tempo,
redis, ...), <env>/<namespace>/* (any other pod), or an IP address outside the cluster.
Policies come from generated/kubernetes (or --generated DIR); with --spec FILE, or when generated/ has no
kubernetes tree, they are compiled in memory from the spec.

Across every layer (--layers, --question, or endpoints that are not pods): the platform's flow model answers
through the control-plane ACL, the Cloud Firewall, the database allow list, the NetworkPolicies and DNS, naming
the layer and rule that decide. Endpoints there also include system/argocd, system/envc-bot, ci, internet,
<env>/api-server, <env>/postgres, <env>/redis and <env>/object-storage.

With --manifests PATH... (files or directories of YAML or JSON, \`-\` for stdin; repeat the flag or list more
paths after it) a team's own manifests are added to ENV: every workload kind (Pod, Deployment, ReplicaSet,
StatefulSet, DaemonSet, Job, CronJob, ReplicationController), List wrappers, multi-document files,
namespaces inferred from the objects (default: "default"). Without --from/--to it lists every connection
in ENV. --check checks the connections the team declares it needs (annotation envc.io/needs on a workload,
or --needs FILE; docs/traffic.md) and exits 1 naming the policy that denies one.

Exit codes: 0 allowed (--check: every need allowed), 1 denied (or spec errors), 64 unknown endpoint or bad flags.

Examples:
  envc traffic --from production/sample-service --to staging/sample-service:8080
  envc traffic --from production/ingress-nginx --to production/sample-service --json
  envc traffic --from staging/team-a/sample-service --to 192.0.2.10:443
  envc traffic --question "can ArgoCD reach production's API?"
  envc traffic --question "why can't sample-service reach postgres?" --json
  envc traffic --from ci --to staging/api-server
  envc traffic --manifests k8s/ --env staging --check        # in an app repo's CI`,
  options: {
    from: { type: 'string', valueName: 'ENDPOINT', description: 'where the connection starts' },
    to: {
      type: 'string',
      valueName: 'ENDPOINT[:PORT]',
      description: 'where it goes (port defaults to the service port)',
    },
    port: { type: 'string', valueName: 'PORT', description: 'destination port (overrides :PORT)' },
    protocol: {
      type: 'string',
      valueName: 'TCP|UDP|SCTP',
      description: 'protocol (default TCP)',
      default: 'TCP',
    },
    generated: {
      type: 'string',
      valueName: 'DIR',
      description: 'read policies from DIR/kubernetes (default ./generated)',
    },
    spec: { type: 'string', valueName: 'FILE', description: 'compile policies in memory from FILE instead' },
    json: { type: 'boolean', description: 'print the verdict as JSON' },
    question: {
      type: 'string',
      short: 'q',
      valueName: 'TEXT',
      description: 'ask across every layer: "can ArgoCD reach production\'s API?"',
    },
    layers: {
      type: 'boolean',
      description:
        'answer --from/--to across every layer (ACL, Cloud Firewall, allow list, NetworkPolicy, DNS)',
    },
    manifests: {
      type: 'string',
      multiple: true,
      valueName: 'PATH',
      description: 'add Kubernetes manifests (files, directories, - for stdin) to --env',
    },
    env: { type: 'string', valueName: 'ENV', description: 'environment the --manifests are deployed to' },
    check: { type: 'boolean', description: 'with --manifests: exit 1 when a declared need is denied' },
    needs: { type: 'string', valueName: 'FILE', description: 'with --check: a file of needed connections' },
  },
  maxPositionals: 1000,
  async run(ctx) {
    const abs0 = (p: string) => (isAbsolute(p) ? p : join(ctx.cwd, p));
    const manifests = ctx.flags.manifests as string[] | undefined;
    if (!manifests && ctx.args.length > 0) throw new UsageError(`unexpected argument "${ctx.args[0]}"`);
    if ((ctx.flags.check || ctx.flags.needs) && !manifests) throw new UsageError('--check needs --manifests');
    if (manifests) {
      const env = ctx.flags.env as string | undefined;
      if (!env) throw new UsageError('--manifests needs --env ENV (the environment they are deployed to)');
      const { runManifests } = await import('./traffic-manifests.js');
      return runManifests(ctx, {
        paths: [...manifests, ...ctx.args],
        env,
        generated: abs0((ctx.flags.generated as string | undefined) ?? 'generated'),
        specPath: abs0((ctx.flags.spec as string | undefined) ?? 'environments.yaml'),
        useSpec: Boolean(ctx.flags.spec),
        abs: abs0,
      });
    }
    const abs = abs0;
    const specFile = (ctx.flags.spec as string | undefined) ?? 'environments.yaml';
    const acrossLayers = async (a: string, b: string, strict: boolean) =>
      (await import('./traffic-layers.js')).answerAcrossLayers(ctx, abs(specFile), specFile, a, b, strict);
    const question = ctx.flags.question as string | undefined;
    if (question !== undefined) {
      const { parseQuestion } = await import('../../compiler/platform/question.js');
      const q = parseQuestion(question);
      if (!q)
        throw new UsageError(
          `ask "can <from> reach <to>?" or "why can't <from> reach <to>?", not "${question}"`,
        );
      return (await acrossLayers(q.from, q.to, true))!;
    }
    const from = ctx.flags.from as string | undefined;
    const to = ctx.flags.to as string | undefined;
    if (!from || !to)
      throw new UsageError('--from and --to are required (or --question, or --manifests PATH... --env ENV)');
    if (ctx.flags.layers) return (await acrossLayers(from, to, true))!;
    const protocol = String(ctx.flags.protocol ?? 'TCP').toUpperCase();
    if (!(PROTOCOLS as readonly string[]).includes(protocol))
      throw new UsageError(`--protocol must be TCP, UDP or SCTP, not "${ctx.flags.protocol}"`);
    const portFlag = ctx.flags.port as string | undefined;
    if (portFlag !== undefined && !/^\d{1,5}$/.test(portFlag))
      throw new UsageError(`--port must be a number, not "${portFlag}"`);

    const { universeFromGenerated, universeFromModel } = await import('../../traffic/source.js');
    const generated = abs((ctx.flags.generated as string | undefined) ?? 'generated');
    const specFlag = ctx.flags.spec as string | undefined;
    let universe: Awaited<ReturnType<typeof universeFromGenerated>>;
    let source: string;
    if (!specFlag && existsSync(join(generated, 'kubernetes'))) {
      universe = await universeFromGenerated(generated);
      source = join(generated, 'kubernetes');
    } else {
      if (ctx.flags.generated && !specFlag) throw new UsageError(`${generated} has no kubernetes/ directory`);
      const specPath = abs(specFlag ?? 'environments.yaml');
      const { buildModel } = await import('../../compiler/pipeline.js');
      const built = await buildModel(specPath);
      if (!built.model || hasErrors(built.diagnostics)) {
        const out = await printDiagnostics(
          ctx,
          ctx.flags.json ? 'json' : 'text',
          built.diagnostics,
          built.source?.text,
        );
        return { exitCode: ExitCode.Findings, ...out };
      }
      ctx.progress(`compiling NetworkPolicies in memory from ${specFlag ?? 'environments.yaml'}`);
      universe = await universeFromModel(built.model);
      source = `${specFlag ?? 'environments.yaml'} (compiled in memory)`;
    }

    const { query } = await import('../../traffic/query.js');
    const verdict = query(universe, {
      from,
      to,
      ...(portFlag !== undefined ? { port: Number(portFlag) } : {}),
      protocol: protocol as (typeof PROTOCOLS)[number],
    });
    if ('error' in verdict) {
      // Not two pods: maybe a platform endpoint (an API server, the database, CI, the internet).
      const across = await acrossLayers(from, to, false);
      if (across) return across;
      throw new UsageError(verdict.error);
    }
    const exitCode = verdict.allowed ? ExitCode.Ok : ExitCode.Findings;
    if (ctx.flags.json)
      return {
        exitCode,
        stdout: `${JSON.stringify({ ...verdict, verdict: verdict.allowed ? 'allow' : 'deny', source }, null, 2)}\n`,
      };
    return { exitCode, stdout: render(verdict, source, ctx.style) };
  },
};
