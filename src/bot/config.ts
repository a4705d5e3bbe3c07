import { parseUsergroupMap } from './approvers.js';
import type { Level } from './log.js';

/**
 * The bot's settings from the environment and flags, checked before anything starts: a missing token or
 * secret is a usage error that says which variable to set, not a stack trace from Bolt.
 */
export interface BotSettings {
  mode: 'socket' | 'http';
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  apiUrl?: string;
  port: number;
  host: string;
  store?: string;
  usergroups: Record<string, string>;
  logLevel: Level;
  jobs: boolean;
  /** Per-job schedule overrides (`--schedule drift=CRON`), e.g. a staging bot that checks more often. */
  schedules: Record<string, string>;
}

export function botSettings(
  env: NodeJS.ProcessEnv,
  flags: { port?: string; host?: string; jobs?: boolean; logLevel?: string; schedule?: string[] },
): { settings?: BotSettings; errors: string[] } {
  const errors: string[] = [];
  const botToken = env.SLACK_BOT_TOKEN ?? '';
  if (!botToken) errors.push('SLACK_BOT_TOKEN is not set (the bot token, xoxb-…)');
  else if (!botToken.startsWith('xoxb-')) errors.push('SLACK_BOT_TOKEN must be a bot token (xoxb-…)');
  const appToken = env.SLACK_APP_TOKEN || undefined;
  if (appToken && !appToken.startsWith('xapp-'))
    errors.push('SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write');
  const signingSecret = env.SLACK_SIGNING_SECRET || undefined;
  if (!appToken && !signingSecret)
    errors.push('set SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET for the HTTP receiver');
  const port = Number(flags.port ?? env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    errors.push(`--port must be a port number, not "${flags.port}"`);
  let apiUrl = env.SLACK_API_URL || undefined;
  if (apiUrl) {
    try {
      new URL(apiUrl);
      if (!apiUrl.endsWith('/')) apiUrl = `${apiUrl}/`;
    } catch {
      errors.push(`SLACK_API_URL is not a URL: "${apiUrl}"`);
    }
  }
  const groups = parseUsergroupMap(env.ENVC_SLACK_USERGROUPS);
  errors.push(...groups.errors.map((e) => `ENVC_SLACK_USERGROUPS: ${e}`));
  const logLevel = (flags.logLevel ?? env.ENVC_LOG_LEVEL ?? 'info') as Level;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    errors.push(`--log-level must be debug, info, warn or error, not "${logLevel}"`);
  const schedules: Record<string, string> = {};
  for (const item of flags.schedule ?? []) {
    const m = item.match(/^([a-z][a-z0-9-]*)=(.+)$/);
    if (!m) errors.push(`--schedule takes NAME=CRON (e.g. drift='0 * * * *'), not "${item}"`);
    else schedules[m[1]!] = m[2]!.trim();
  }
  if (errors.length > 0) return { errors };
  return {
    errors,
    settings: {
      mode: appToken ? 'socket' : 'http',
      botToken,
      appToken,
      signingSecret,
      apiUrl,
      port,
      host: flags.host ?? '0.0.0.0',
      store: env.ENVC_STORE || undefined,
      usergroups: groups.map,
      logLevel,
      jobs: flags.jobs !== false,
      schedules,
    },
  };
}
