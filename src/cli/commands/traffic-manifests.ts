/**
 * `envc traffic --manifests PATH...`: a team's own manifests together with the platform's policies for one
 * environment. Without --from/--to it lists every connection; with --check it checks the declared needs.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Model } from '../../compiler/model.js';
import type { CommandContext, CommandResult } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../main.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface ManifestsMode {
  paths: string[];
  env: string;
  generated: string;
  specPath: string;
  useSpec: boolean;
  abs(p: string): string;
}

/** Platform objects (generated tree, or compiled in memory) and the model when the spec loads. */
async function platform(m: ManifestsMode) {
  const src = await import('../../traffic/source.js');
  let model: Model | undefined;
  if (existsSync(m.specPath)) {
    const { buildModel } = await import('../../compiler/pipeline.js');
    const built = await buildModel(m.specPath);
    if (built.model && !built.diagnostics.some((d) => d.severity === 'error')) model = built.model;
  }
  if (!m.useSpec && existsSync(join(m.generated, 'kubernetes')))
    return {
      objects: await src.objectsFromGenerated(m.generated),
      model,
      source: join(m.generated, 'kubernetes'),
    };
  if (!model) throw new UsageError(`no generated/kubernetes tree and no valid spec at ${m.specPath}`);
  return { objects: await src.objectsFromModel(model), model, source: `${m.specPath} (compiled in memory)` };
}

export async function runManifests(ctx: CommandContext, m: ManifestsMode): Promise<CommandResult> {
  const src = await import('../../traffic/source.js');
  const read = await src.readManifests(
    m.paths.map((p) => (p === '-' ? p : m.abs(p))),
    readStdin,
  );
  if ('error' in read) throw new UsageError(`--manifests: ${read.error}`);
  const base = await platform(m);
  const u = src.universeWithManifests(base.objects, m.env, read.objects, base.model);
  if (!u.environments.includes(m.env))
    throw new UsageError(`unknown environment "${m.env}" (known: ${u.environments.join(', ')})`);
  const needsMod = await import('../../traffic/needs.js');
  const json = Boolean(ctx.flags.json);

  if (ctx.flags.from || ctx.flags.to) {
    const { query } = await import('../../traffic/query.js');
    const at = (e: string) => (/^[0-9.[]|::/.test(e) || e.startsWith(`${m.env}/`) ? e : `${m.env}/${e}`);
    const v = query(u, {
      from: at(String(ctx.flags.from ?? '')),
      to: at(String(ctx.flags.to ?? '')),
      protocol: String(ctx.flags.protocol ?? 'TCP').toUpperCase() as 'TCP',
      ...(ctx.flags.port ? { port: Number(ctx.flags.port) } : {}),
    });
    if ('error' in v) throw new UsageError(v.error);
    const exitCode = v.allowed ? ExitCode.Ok : ExitCode.Findings;
    const text = `${v.allowed ? 'allow' : 'deny'} ${v.from} -> ${v.to} ${v.protocol}/${v.port}${v.decidedBy ? `\n  decided by: ${v.decidedBy}` : ''}\n  ${v.reason}\n`;
    return {
      exitCode,
      stdout: json
        ? `${JSON.stringify({ ...v, verdict: v.allowed ? 'allow' : 'deny', source: base.source }, null, 2)}\n`
        : text,
    };
  }

  if (ctx.flags.check) {
    const needs = needsMod.needsFromAnnotations(read.objects);
    const file = ctx.flags.needs as string | undefined;
    if (file) {
      const parsed = needsMod.parseNeedsFile(file, await readFile(m.abs(file), 'utf8').catch(() => ''));
      if ('error' in parsed) throw new UsageError(`--needs: ${parsed.error}`);
      needs.push(...parsed);
    }
    if (needs.length === 0)
      throw new UsageError(
        `nothing to check: declare needs with the ${needsMod.NEEDS_ANNOTATION} annotation or --needs FILE`,
      );
    const results = needsMod.checkNeeds(u, m.env, needs);
    const denied = results.filter((r) => !r.allowed);
    const exitCode = denied.length > 0 ? ExitCode.Findings : ExitCode.Ok;
    if (json)
      return {
        exitCode,
        stdout: `${JSON.stringify({ ok: denied.length === 0, env: m.env, source: base.source, results }, null, 2)}\n`,
      };
    const lines = results.map((r) => {
      const what = `${r.need.from} -> ${r.need.to} ${r.need.protocol}`;
      return r.allowed
        ? `${ctx.style.green('ok')}      ${what}${r.decidedBy ? ctx.style.dim(` (allowed by ${r.decidedBy})`) : ''}`
        : `${ctx.style.red('DENIED')}  ${what}${r.decidedBy ? ` — denied by ${r.decidedBy}` : ''}\n        ${r.reason}\n        ${ctx.style.dim(`declared in ${r.need.declaredIn}`)}`;
    });
    const summary = `${results.length - denied.length} of ${results.length} needed connection${results.length === 1 ? '' : 's'} allowed in ${m.env}`;
    return { exitCode, stdout: `${lines.join('\n')}\n${summary}\n` };
  }

  const list = needsMod.connectivity(u, m.env);
  if (json) {
    const rows = list.map((v) => ({
      from: v.from,
      to: v.to,
      port: v.port,
      protocol: v.protocol,
      allowed: v.allowed,
      ...(v.decidedBy ? { decidedBy: v.decidedBy } : {}),
    }));
    return {
      exitCode: ExitCode.Ok,
      stdout: `${JSON.stringify({ env: m.env, source: base.source, manifests: read.files, connections: rows }, null, 2)}\n`,
    };
  }
  const lines = list.map(
    (v) =>
      `${v.allowed ? ctx.style.green('allow') : ctx.style.red('deny ')} ${v.from} -> ${v.to} ${v.protocol}/${v.port}${v.decidedBy ? ctx.style.dim(`  (${v.decidedBy})`) : ''}`,
  );
  return {
    exitCode: ExitCode.Ok,
    stdout: `${lines.join('\n')}\n${list.filter((v) => v.allowed).length} of ${list.length} connections allowed in ${m.env} (policies from ${base.source})\n`,
  };
}
