import type { webApi } from '@slack/bolt';
import type { Model } from '../compiler/model.js';
import { Redactor } from '../redact.js';
import type { Store } from '../store/types.js';
import type { ApproverDirectory } from './approvers.js';
import type { ArgoSync } from './argo.js';
import type { Auditor } from './audit.js';
import type { Log } from './log.js';
import type { Metrics } from './metrics.js';
import type { OriginLookup } from './origins.js';
import type { BotRunner } from './runner.js';
import type { Tasks } from './tasks.js';

const patterns = new Redactor();
const patternsOnly = (t: string) => patterns.text(t);

/** Everything a listener, job or notifier may touch, passed as one object (tests build their own). */
export interface BotDeps {
  store: Store;
  model: Model;
  runner: BotRunner;
  /** The Web API client (Bolt's app.client: retries 429s after Retry-After, redacts tokens in its logs). */
  slack: webApi.WebClient;
  log: Log;
  metrics: Metrics;
  audit: Auditor;
  approvers: ApproverDirectory;
  /** Undefined when no Kubernetes API is configured: production applies then report that ArgoCD was not synced. */
  argo?: ArgoSync;
  now: () => Date;
  tasks: Tasks;
  /** The spec's channel (name or id) for approvals and alerts. */
  channel: string;
  /** The actor name for the bot's own decisions (scheduled checks, applies it runs). */
  botActor: string;
  /** Linode and per-environment Kubernetes APIs for rotation and JIT access (built from the environment when absent). */
  integrations?: import('../integrations/deps.js').Integrations;
  /**
   * Masks secrets in text bound for Slack (runner and API error messages can carry them). Default: the
   * token / bearer / URL-password patterns only; the bot passes one that also knows its own secrets.
   */
  redact?: (text: string) => string;
  /** Spec line of a planned change (from generated/manifest.json's source map), when known. */
  origins?: OriginLookup;
  /** The web pages (plan review, read-only views), when served: links in messages and sign-in links. */
  pages?: PageLinks;
}

/** What the bot needs from the web front end: where a plan's page is, and a one-time sign-in link. */
export interface PageLinks {
  /** Absolute URL of `/plans/<digest>`. */
  planUrl(digest: string): string;
  /** A sign-in link for this Slack user (undefined: the pages need no sign-in, e.g. the local demo). */
  signInLink?(user: string): string;
  /** The pages' home. */
  home: string;
}

/** The environments in the spec, `system` first (it hosts the platform the others depend on). */
export function environments(model: Model): string[] {
  const names = model.environments.map((e) => e.name);
  return [...names.filter((n) => n === 'system'), ...names.filter((n) => n !== 'system')];
}

/** A copy of a Slack payload with every string passed through `redact`. */
export function scrub<T>(deps: Pick<BotDeps, 'redact'>, value: T): T {
  const redact = deps.redact ?? patternsOnly;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
