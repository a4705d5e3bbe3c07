import { describe, expect, it } from 'vitest';
import { parseUsergroupMap } from './approvers.js';
import { botSettings } from './config.js';

describe('bot settings', () => {
  it('chooses Socket Mode with an app token and HTTP with a signing secret', () => {
    expect(botSettings({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, {}).settings?.mode).toBe(
      'socket',
    );
    const http = botSettings(
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api' },
      { port: '0' },
    ).settings;
    expect(http).toMatchObject({ mode: 'http', port: 0, apiUrl: 'http://127.0.0.1:9/api/' });
  });

  it('says which variable is missing or wrong', () => {
    expect(botSettings({}, {}).errors).toEqual([
      'SLACK_BOT_TOKEN is not set (the bot token, xoxb-…)',
      'set SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET for the HTTP receiver',
    ]);
    expect(
      botSettings({ SLACK_BOT_TOKEN: 'xoxp-1', SLACK_APP_TOKEN: 'xoxb-2' }, { port: 'x' }).errors,
    ).toHaveLength(3);
  });

  it('parses the handle → user group map', () => {
    expect(parseUsergroupMap('platform-leads=S0614TZR7, @oncall=S0123ABCD')).toEqual({
      map: { 'platform-leads': 'S0614TZR7', oncall: 'S0123ABCD' },
      errors: [],
    });
    expect(parseUsergroupMap('leads=U123').errors).toHaveLength(1);
  });
});
