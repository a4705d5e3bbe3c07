/**
 * The ArgoCD API as the bot needs it: start a sync of one Application (`POST /api/v1/applications/{name}/sync`,
 * ApplicationSyncRequest). Each call carries the token of the Application's project role `bot`
 * (`argocd proj role create-token <project> bot`), whose only policy lines are `sync` of envc's named
 * Applications: the bot can start syncs and change no Application spec.
 *
 *   ENVC_ARGOCD_URL                  the ArgoCD API (in the cluster: http://argo-cd-argocd-server.argocd.svc)
 *   ENVC_ARGOCD_TOKEN_<PROJECT>      the bot role's token per project (PROJECT upper-cased, `-` → `_`),
 *   ENVC_ARGOCD_TOKENS_DIR           or a directory of files named after the projects (a mounted Secret)
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ArgoCdSyncRequest {
  name: string;
  project: string;
  /** Namespace of the Application object (ArgoCD's own by default). */
  appNamespace?: string;
  revision: string;
  /** Shown in ArgoCD's operation info. */
  reason?: string;
}

export type ArgoCdResult = { ok: true } | { ok: false; status: number; message: string };

export interface ArgoCdApi {
  sync(req: ArgoCdSyncRequest): Promise<ArgoCdResult>;
}

export type ProjectTokens = (project: string) => Promise<string | undefined>;

export function argoCdApi(o: { url: string; tokens: ProjectTokens; fetch?: typeof fetch }): ArgoCdApi {
  const doFetch = o.fetch ?? fetch;
  const base = o.url.replace(/\/+$/, '');
  return {
    async sync(req) {
      const token = await o.tokens(req.project);
      if (!token)
        return {
          ok: false,
          status: 0,
          message: `no ArgoCD token for project "${req.project}" (set ${tokenVariable(req.project)})`,
        };
      const body = {
        name: req.name,
        project: req.project,
        ...(req.appNamespace ? { appNamespace: req.appNamespace } : {}),
        revision: req.revision,
        ...(req.reason ? { infos: [{ name: 'reason', value: req.reason }] } : {}),
      };
      const res = await doFetch(`${base}/api/v1/applications/${encodeURIComponent(req.name)}/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      if (res.ok) return { ok: true };
      const text = await res.text();
      let message = text.slice(0, 200);
      try {
        message = String((JSON.parse(text) as { message?: unknown }).message ?? message);
      } catch {}
      return { ok: false, status: res.status, message };
    },
  };
}

export function tokenVariable(project: string): string {
  return `ENVC_ARGOCD_TOKEN_${project.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The API from the process environment; undefined without ENVC_ARGOCD_URL (the bot then says it cannot sync). */
export function argoCdApiFromEnv(env: NodeJS.ProcessEnv): ArgoCdApi | undefined {
  const url = env.ENVC_ARGOCD_URL;
  if (!url) return undefined;
  const dir = env.ENVC_ARGOCD_TOKENS_DIR;
  return argoCdApi({
    url,
    tokens: async (project) => {
      const fromEnv = env[tokenVariable(project)];
      if (fromEnv) return fromEnv.trim();
      if (!dir || !/^[a-z0-9-]+$/.test(project)) return undefined;
      return readFile(join(dir, project), 'utf8')
        .then((t) => t.trim())
        .catch(() => undefined);
    },
  });
}
