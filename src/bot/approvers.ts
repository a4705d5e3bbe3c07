import type { Model } from '../compiler/model.js';
import type { Log } from './log.js';

/**
 * Who may approve: the spec names Slack user ids (U…/W…), user group ids (S…) or group handles
 * (@platform-leads). Groups are resolved with usergroups.users.list and cached for `ttlMs`; handles need a
 * handle → group id map (ENVC_SLACK_USERGROUPS), because the only Web API method that lists groups by handle
 * (usergroups.list) is not one the app is granted. Anything unresolvable admits nobody (fail closed).
 */
export interface ApproverDirectory {
  /** The user ids the refs stand for. */
  members(refs: readonly string[]): Promise<Set<string>>;
  isApprover(user: string, refs: readonly string[]): Promise<boolean>;
}

export interface UsergroupLister {
  /** usergroups.users.list → user ids; throws on Slack errors. */
  usersOf(usergroup: string): Promise<string[]>;
}

export function createApproverDirectory(opts: {
  lister: UsergroupLister;
  handles?: Record<string, string>;
  ttlMs?: number;
  now?: () => number;
  log: Log;
}): ApproverDirectory {
  const ttl = opts.ttlMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { users: string[]; at: number }>();
  const inflight = new Map<string, Promise<string[]>>();

  const group = async (id: string): Promise<string[]> => {
    const hit = cache.get(id);
    if (hit && now() - hit.at < ttl) return hit.users;
    const running = inflight.get(id);
    if (running) return running;
    const p = opts.lister
      .usersOf(id)
      .then((users) => {
        cache.set(id, { users, at: now() });
        return users;
      })
      .catch((err) => {
        opts.log.warn('approver group could not be resolved; it admits nobody', {
          usergroup: id,
          error: err,
        });
        // A stale list is better than none while Slack is briefly unavailable.
        return hit?.users ?? [];
      })
      .finally(() => inflight.delete(id));
    inflight.set(id, p);
    return p;
  };

  const members = async (refs: readonly string[]): Promise<Set<string>> => {
    const out = new Set<string>();
    for (const ref of refs) {
      if (/^[UW][A-Z0-9]+$/.test(ref)) out.add(ref);
      else if (/^S[A-Z0-9]+$/.test(ref)) for (const u of await group(ref)) out.add(u);
      else if (ref.startsWith('@')) {
        const id = opts.handles?.[ref.slice(1)];
        if (!id) {
          opts.log.warn(
            'approver handle has no user group id (set ENVC_SLACK_USERGROUPS); it admits nobody',
            { handle: ref },
          );
          continue;
        }
        for (const u of await group(id)) out.add(u);
      }
    }
    return out;
  };

  return {
    members,
    isApprover: async (user, refs) => (await members(refs)).has(user),
  };
}

/**
 * Handle → user group id: the spec's `slack.usergroups`, overridden per handle by ENVC_SLACK_USERGROUPS
 * (e.g. a staging workspace with other ids).
 */
export function usergroupHandles(
  model: Pick<Model, 'slack'>,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  return { ...model.slack.usergroups, ...parseUsergroupMap(env.ENVC_SLACK_USERGROUPS).map };
}

/** Parses `platform-leads=S0614TZR7,platform-oncall=S0123ABCD` (handles with or without @). */
export function parseUsergroupMap(text: string | undefined): {
  map: Record<string, string>;
  errors: string[];
} {
  const map: Record<string, string> = {};
  const errors: string[] = [];
  for (const part of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = part.match(/^@?([a-z0-9][a-z0-9._-]*)=(S[A-Z0-9]{6,})$/);
    if (!m) errors.push(`"${part}" is not handle=S… (e.g. platform-leads=S0614TZR7)`);
    else map[m[1]!] = m[2]!;
  }
  return { map, errors };
}
