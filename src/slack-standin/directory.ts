import type { FakeSlack } from './fake-slack.js';
import { DEFAULTS } from './types.js';

/** The Slack stand-in's directory methods (users, user groups, conversations); undefined for other methods. */
export function directoryMethod(
  s: FakeSlack,
  method: string,
  a: Record<string, unknown>,
): Record<string, unknown> | undefined {
  switch (method) {
    case 'users.info': {
      const u = s.users[String(a.user)];
      if (!u) return { ok: false, error: 'user_not_found' };
      return {
        ok: true,
        user: {
          id: a.user,
          team_id: DEFAULTS.teamId,
          name: u.name,
          real_name: u.real_name ?? u.name,
          deleted: false,
          is_bot: false,
          profile: { display_name: u.name, real_name: u.real_name ?? u.name, email: u.email },
        },
      };
    }
    case 'users.lookupByEmail': {
      const entry = Object.entries(s.users).find(([, u]) => u.email === a.email);
      if (!entry) return { ok: false, error: 'users_not_found' };
      return { ok: true, user: { id: entry[0], name: entry[1].name, profile: { email: entry[1].email } } };
    }
    case 'usergroups.users.list': {
      const users = s.usergroups[String(a.usergroup)];
      if (!users) return { ok: false, error: 'no_such_subteam' };
      return { ok: true, users };
    }
    case 'conversations.info': {
      const id = s.channelId(String(a.channel));
      const c = s.channels.find((x) => x.id === id);
      if (!c || c.id !== a.channel) return { ok: false, error: 'channel_not_found' };
      return {
        ok: true,
        channel: {
          id: c.id,
          name: c.name,
          is_channel: true,
          is_group: false,
          is_im: false,
          is_mpim: false,
          is_private: false,
          is_archived: false,
          is_member: c.botIsMember !== false,
          created: 1700000000,
        },
      };
    }
    case 'conversations.members':
      return {
        ok: true,
        members: [DEFAULTS.botUserId, ...Object.keys(s.users)],
        response_metadata: { next_cursor: '' },
      };
    default:
      return undefined;
  }
}
