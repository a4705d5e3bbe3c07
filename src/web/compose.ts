/**
 * Builds the pages from a bot's dependencies (the bot process and `envc demo` both serve them on the bot's
 * own server): plan details through the real terraform binary, generated files from the spec's generated/,
 * the graph from the model, and links for the bot's messages.
 */
import type { Model } from '../compiler/model.js';
import type { Store } from '../store/types.js';
import type { PlanSection, WebAuth, WebDeps } from './deps.js';
import { costSection } from './plan/cost.js';
import { signInLink, type WebRoute, webRoutes } from './routes.js';

export interface ComposeOptions {
  store: Store;
  model: Model;
  approvers: { isApprover(user: string, refs: readonly string[]): Promise<boolean> };
  origins?: (env: string, address: string) => string | undefined;
  now: () => Date;
  generatedDir: string;
  env: NodeJS.ProcessEnv;
  auth: WebAuth;
  planSections?: PlanSection[];
}

export async function composePages(
  o: ComposeOptions,
): Promise<{ routes: WebRoute[]; deps: WebDeps; warm(digest: string): void }> {
  const [{ createTerraform }, { planDetailSource, generatedSource }, { renderGraph }] = await Promise.all([
    import('../runner/terraform.js'),
    import('./plan/sources.js'),
    import('../graph/index.js'),
  ]);
  let graph: string | undefined;
  const deps: WebDeps = {
    store: o.store,
    model: o.model,
    isApprover: (u, refs) => o.approvers.isApprover(u, refs),
    origin: (env, a) => o.origins?.(env, a),
    now: o.now,
    planDetail: planDetailSource(createTerraform({ env: o.env })),
    generatedChanges: generatedSource({
      generatedDir: o.generatedDir,
      store: o.store,
      specFile: o.model.sourceFile,
    }),
    graph: async () => {
      graph ??= renderGraph(o.model, 'mermaid');
      return graph;
    },
    // The cost of the change (issue 16) on every plan page, then whatever the caller adds.
    planSections: [costSection, ...(o.planSections ?? [])],
    auth: o.auth,
  };
  // A plan's page is opened right after its message is posted ("View the full change"): `terraform show -json`
  // of a large plan takes longer than the page's budget, so it runs when the link is made, not when clicked.
  const warm = (digest: string) => {
    void (async () => {
      for (const e of o.model.environments) {
        const p = await o.store.getPlanByDigest(e.name, digest);
        if (!p) continue;
        await Promise.all([deps.planDetail(p), deps.generatedChanges(p.env)]);
        return;
      }
    })().catch(() => {});
  };
  return { routes: webRoutes(deps), deps, warm };
}

/** Links for the bot's messages; `linked` hears of each plan link made (composePages' warm). */
export function pageLinks(
  base: string,
  deps: Pick<WebDeps, 'auth' | 'now'>,
  hooks: { linked?(digest: string): void } = {},
) {
  const root = base.replace(/\/$/, '');
  return {
    home: `${root}/plans`,
    planUrl: (digest: string) => {
      hooks.linked?.(digest);
      return `${root}/plans/${digest}`;
    },
    ...(deps.auth.mode === 'token' ? { signInLink: (user: string) => signInLink(deps, root, user)! } : {}),
  };
}
