import type { Model } from '../compiler/model.js';
import type { PlanRecord, Store } from '../store/types.js';
import type { PlanJsonLike } from './plan/changes.js';
import type { GeneratedChange } from './plan/generated.js';

/**
 * What the pages need, as one object the composition root builds (the bot process or `envc demo`): the
 * store (read-only use), the model, who approves what, the spec line of an address, and the plan details.
 * Pages never write.
 */
export interface WebDeps {
  store: Store;
  model: Model;
  isApprover(user: string, refs: readonly string[]): Promise<boolean>;
  origin(env: string, address: string): string | undefined;
  now(): Date;
  /** The saved plan as `terraform show -json` (cached by digest; undefined when the plan file is gone). */
  planDetail(record: PlanRecord): Promise<PlanJsonLike | undefined>;
  /** Kubernetes objects and Helm values of the plan's environment, with their change against the baseline. */
  generatedChanges(env: string): Promise<GeneratedChange[]>;
  /** The Mermaid source of `envc graph` for the environments page. */
  graph(): Promise<string>;
  /** Extra sections of the plan page (cost, issue 16): each renders from the plan record. */
  planSections?: PlanSection[];
  auth: WebAuth;
}

/**
 * A section another feature adds to the plan page (e.g. the cost estimate): a title and HTML built from
 * the plan. Returning undefined hides the section. Keep it fast: the page renders in ≤ 200 ms.
 */
export interface PlanSection {
  id: string;
  title: string;
  render(plan: PlanRecord, detail: PlanJsonLike | undefined): Promise<import('./html.js').Html | undefined>;
}

export type WebAuth =
  /** The local demo: no sign-in, everybody sees everything; only ever bound to 127.0.0.1. */
  | { mode: 'open' }
  /**
   * Sign-in by a token from `/infra web`, and by Sign in with Slack when `slack` is set; `secure` adds the
   * Secure cookie flag (https).
   */
  | { mode: 'token'; secret: string; secure: boolean; slack?: SlackSignIn };

/** Sign in with Slack (OpenID Connect): the Slack app's client, and where Slack sends the person back. */
export interface SlackSignIn {
  clientId: string;
  clientSecret: string;
  /** https://slack.com (its discovery document names the endpoints and keys). */
  issuer: string;
  /** <pages URL>/signin/slack/callback, one of the app's redirect URLs. */
  redirectUri: string;
  /** Only members of this workspace may sign in (the id_token's https://slack.com/team_id). */
  teamId?: string;
}

/** Who is looking: a Slack user id, or `demo` in open mode. */
export interface Viewer {
  user: string;
  open: boolean;
}
