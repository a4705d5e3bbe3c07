import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLASH_COMMAND } from '../../src/bot/ids.js';
import { subCommands } from '../../src/bot/listeners/commands/index.js';
import { reference } from '../support/slack/reference.js';

/**
 * docs/slack-app-manifest.yaml is what an admin pastes into Slack. The fake Slack grants the bot token only
 * its scopes (so a call needing another scope fails every bot test); here: the rest of it matches the code.
 */
const manifest = parse(readFileSync(new URL('../../docs/slack-app-manifest.yaml', import.meta.url), 'utf8'));

describe('Slack app manifest', () => {
  it('declares /infra with every registered sub-command in its usage hint', () => {
    const cmd = manifest.features.slash_commands.find(
      (c: { command: string }) => c.command === SLASH_COMMAND,
    );
    expect(cmd).toBeDefined();
    for (const s of subCommands) expect(cmd.usage_hint).toContain(s.name);
  });

  it('enables interactivity and Socket Mode, and asks only for scopes of methods in the contract', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    const known = new Set(['commands']);
    for (const m of Object.values(reference().web.methods)) {
      if (typeof m.scopes === 'object') for (const s of m.scopes.bot ?? []) known.add(s);
    }
    expect(scopes.filter((s) => !known.has(s))).toEqual([]);
    expect(scopes).toEqual(expect.arrayContaining(['commands', 'chat:write', 'usergroups:read']));
  });

  it('lets the pages sign people in with Slack: OpenID user scopes and the callback as redirect URL', async () => {
    const { slackSignInScopes } = await import('../../src/web/signin-slack.js');
    expect(manifest.oauth_config.scopes.user).toEqual(slackSignInScopes);
    const [redirect] = manifest.oauth_config.redirect_urls as string[];
    expect(new URL(redirect!).pathname).toBe('/signin/slack/callback');
    expect(new URL(redirect!).origin).toBe(new URL(manifest.settings.interactivity.request_url).origin);
  });
});
