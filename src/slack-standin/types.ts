import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { packagePath } from '../compiler/package-root.js';

/** The Slack stand-in's data shapes and defaults (fake-slack.ts holds the server, surfaces.ts the methods). */
export interface FakeChannel {
  id: string;
  name: string;
  /** Whether the bot user is in it (else chat.postMessage answers not_in_channel). */
  botIsMember?: boolean;
}

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  /** Scopes of the bot token; default: the bot scopes of docs/slack-app-manifest.yaml. */
  botScopes?: string[];
  channels?: FakeChannel[];
  users?: Record<string, { name: string; real_name?: string; email?: string }>;
  usergroups?: Record<string, string[]>;
  /** How long a trigger_id stays usable (Slack: 3 s). */
  triggerTtlMs?: number;
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** What the fake answered. */
  response: Record<string, unknown>;
  status: number;
  at: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: Array<Record<string, unknown>>;
  metadata?: unknown;
  user: string;
  bot_id: string;
  /** Every version of the message, oldest first (chat.update / replace_original append). */
  history: Array<{ text?: string; blocks?: unknown[] }>;
}

export interface EphemeralMessage {
  channel: string;
  user?: string;
  text?: string;
  blocks?: unknown[];
  via: 'chat.postEphemeral' | 'response_url';
  response_type?: string;
  thread_ts?: string;
}

export interface FakeView {
  id: string;
  hash: string;
  view: Record<string, unknown>;
  user?: string;
  history: Array<Record<string, unknown>>;
}

export interface ResponseUrl {
  id: string;
  uses: number;
  createdAt: number;
  channel: string;
  user?: string;
  message?: { channel: string; ts: string };
}

export const DEFAULTS = {
  botToken: 'xoxb-1111-2222-fakebottoken',
  appToken: 'xapp-1-A0ENVCBOT-3333-fakeapptoken',
  teamId: 'T0ENVCTEAM',
  botUserId: 'U0ENVCBOT1',
  botId: 'B0ENVCBOT1',
  appId: 'A0ENVCBOT1',
  channel: { id: 'C0PLATINFRA', name: 'platform-infra', botIsMember: true } as FakeChannel,
};

/** The bot scopes the app manifest asks for: the fake grants exactly these, so a missing scope shows. */
export function manifestBotScopes(): string[] {
  const manifest = parseYaml(readFileSync(packagePath('docs/slack-app-manifest.yaml'), 'utf8'));
  return manifest?.oauth_config?.scopes?.bot ?? [];
}

/** The user scopes the app manifest asks for (Sign in with Slack): authorize refuses any other. */
export function manifestUserScopes(): string[] {
  const manifest = parseYaml(readFileSync(packagePath('docs/slack-app-manifest.yaml'), 'utf8'));
  return manifest?.oauth_config?.scopes?.user ?? [];
}
