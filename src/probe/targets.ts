/**
 * What to probe in an environment and at which URL:
 *
 * - the control plane's `/readyz` — base URL from a `--target <env>=<url>` override, else
 *   `ENVC_API_SERVER_<ENV>`, else the `server` (and CA) of the environment's kubeconfig
 *   (`ENVC_KUBECONFIG_<ENV>`, then `ENVC_KUBECONFIG_DIR/<env>.yaml`, the same lookup as the Kubernetes
 *   integration);
 * - each service with an ingress at `https://<host><ingress path><health>` — or
 *   `--target <env>/<service>=<url>` as the base instead of `https://<host>`.
 *
 * `ENVC_PROBE_TARGETS` holds the same overrides, comma-separated, for the bot's scheduled job.
 * A target whose URL cannot be known is reported as skipped with the setting that would fix it; skipped
 * targets are not probes and do not count against availability.
 */
import { parse } from 'yaml';
import type { EnvironmentModel } from '../compiler/model.js';

export interface ProbeTarget {
  env: string;
  /** `control-plane` or `service/<name>` — the target name recorded in the store. */
  target: string;
  url: string;
  /** PEM CA bundle for the control plane's certificate (from the kubeconfig). */
  ca?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface SkippedTarget {
  env: string;
  target: string;
  reason: string;
}

export const CONTROL_PLANE_TARGET = 'control-plane';

/** `production=http://…` and `production/sample-service=http://…` → a map keyed by the left side. */
export function parseTargetOverrides(specs: readonly string[]): {
  overrides: Map<string, string>;
  errors: string[];
} {
  const overrides = new Map<string, string>();
  const errors: string[] = [];
  for (const raw of specs
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z][-a-z0-9]*)(\/[a-z][-a-z0-9]*)?=(https?:\/\/\S+)$/.exec(raw);
    if (!m) {
      errors.push(`malformed target ${JSON.stringify(raw)}: expected <env>=<url> or <env>/<service>=<url>`);
      continue;
    }
    overrides.set(`${m[1]}${m[2] ?? ''}`, m[3]!.replace(/\/+$/, ''));
  }
  return { overrides, errors };
}

export function envVarSuffix(env: string): string {
  return env.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export interface TargetDeps {
  env: NodeJS.ProcessEnv;
  overrides: Map<string, string>;
  /** Reads a kubeconfig for the environment, or throws when there is none. */
  readKubeconfig(envName: string): Promise<string>;
}

interface ApiServer {
  url: string;
  ca?: string;
  insecureSkipTlsVerify?: boolean;
}

/** The current context's cluster of a kubeconfig: its server and CA. */
export function apiServerFromKubeconfig(text: string): ApiServer | undefined {
  const doc = parse(text) as {
    'current-context'?: string;
    contexts?: Array<{ name: string; context?: { cluster?: string } }>;
    clusters?: Array<{
      name: string;
      cluster?: {
        server?: string;
        'certificate-authority-data'?: string;
        'insecure-skip-tls-verify'?: boolean;
      };
    }>;
  } | null;
  if (!doc || !Array.isArray(doc.clusters)) return undefined;
  const ctx = doc.contexts?.find((c) => c.name === doc['current-context']) ?? doc.contexts?.[0];
  const cluster = doc.clusters.find((c) => c.name === ctx?.context?.cluster) ?? doc.clusters[0];
  const server = cluster?.cluster?.server;
  if (!server) return undefined;
  const caData = cluster.cluster?.['certificate-authority-data'];
  return {
    url: server.replace(/\/+$/, ''),
    ...(caData ? { ca: Buffer.from(caData, 'base64').toString('utf8') } : {}),
    ...(cluster.cluster?.['insecure-skip-tls-verify'] ? { insecureSkipTlsVerify: true } : {}),
  };
}

async function apiServer(env: EnvironmentModel, deps: TargetDeps): Promise<ApiServer | string> {
  const override = deps.overrides.get(env.name);
  if (override) return { url: override };
  const fromVar = deps.env[`ENVC_API_SERVER_${envVarSuffix(env.name)}`];
  if (fromVar) return { url: fromVar.replace(/\/+$/, '') };
  try {
    const server = apiServerFromKubeconfig(await deps.readKubeconfig(env.name));
    if (server) return server;
    return `the kubeconfig of "${env.name}" names no cluster server`;
  } catch {
    const suffix = envVarSuffix(env.name);
    return `no API server URL: set ENVC_API_SERVER_${suffix} or ENVC_KUBECONFIG_${suffix}, or pass --target ${env.name}=<url>`;
  }
}

/** The external health URL path of a service: the ingress path prefix, then the health path. */
export function healthPath(ingressPath: string, health: string): string {
  return `${ingressPath.replace(/\/+$/, '')}${health}`;
}

export async function resolveTargets(
  env: EnvironmentModel,
  deps: TargetDeps,
): Promise<{ targets: ProbeTarget[]; skipped: SkippedTarget[] }> {
  const targets: ProbeTarget[] = [];
  const skipped: SkippedTarget[] = [];
  const api = await apiServer(env, deps);
  if (typeof api === 'string') skipped.push({ env: env.name, target: CONTROL_PLANE_TARGET, reason: api });
  else {
    targets.push({
      env: env.name,
      target: CONTROL_PLANE_TARGET,
      url: `${api.url}/readyz`,
      ...(api.ca ? { ca: api.ca } : {}),
      ...(api.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
    });
  }
  for (const svc of env.services) {
    const name = `service/${svc.name}`;
    const override = deps.overrides.get(`${env.name}/${svc.name}`);
    if (!svc.ingress && !override) {
      skipped.push({
        env: env.name,
        target: name,
        reason: 'no ingress: not reachable from outside the cluster',
      });
      continue;
    }
    const base = override ?? `https://${svc.ingress!.host}`;
    targets.push({
      env: env.name,
      target: name,
      url: `${base}${healthPath(svc.ingress?.path ?? '/', svc.health)}`,
    });
  }
  return { targets, skipped };
}
